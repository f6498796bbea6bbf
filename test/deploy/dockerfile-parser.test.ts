// The Dockerfile and .dockerignore helpers themselves: what the deploy tests rely on them to see.
import { describe, expect, it } from 'vitest';
import { DockerfileSyntaxError, execForm, parseDockerfile, splitFlags } from './dockerfile-parser.js';
import { DockerIgnore } from './dockerignore.js';

describe('parseDockerfile', () => {
  const text = [
    '# syntax=docker/dockerfile:1',
    '# a comment, no longer a directive',
    '# escape=`',
    'ARG BASE=node:26-trixie-slim',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile ARG syntax, not a JavaScript template
    'FROM ${BASE} AS Build',
    'RUN apt-get update \\',
    '  # dropped inside a continuation',
    '  && apt-get install -y tini',
    '',
    'FROM build',
    'HEALTHCHECK --interval=5s \\',
    '  CMD ["node", "-e", "0"]',
    'cmd ["start"]',
  ].join('\n');

  it('reads directives, global ARGs, stages and continuation lines', () => {
    const parsed = parseDockerfile(text);
    expect(parsed.directives).toEqual({ syntax: 'docker/dockerfile:1' });
    expect(parsed.globalArgs).toEqual({ BASE: 'node:26-trixie-slim' });
    expect(parsed.stages.map((s) => [s.image, s.name])).toEqual([
      ['node:26-trixie-slim', 'build'],
      ['build', null],
    ]);
    expect(parsed.stages[0]?.instructions).toEqual([
      { keyword: 'RUN', args: 'apt-get update && apt-get install -y tini', line: 6 },
    ]);
    const health = parsed.stages[1]?.instructions[0];
    expect(health?.keyword).toBe('HEALTHCHECK');
    const { flags, rest } = splitFlags(health?.args ?? '');
    expect(flags).toEqual({ interval: '5s' });
    expect(rest).toBe('CMD ["node", "-e", "0"]');
    expect(parsed.stages[1]?.instructions[1]).toMatchObject({ keyword: 'CMD', args: '["start"]' });
  });

  it('rejects what Docker rejects', () => {
    expect(() => parseDockerfile('RUN true\nFROM x')).toThrow(DockerfileSyntaxError);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile ARG syntax, not a JavaScript template
    expect(() => parseDockerfile('FROM ${NOPE}')).toThrow(/NOPE has no global ARG default/);
    expect(() => parseDockerfile('FROM x\nRUN a \\')).toThrow(/continuation/);
    expect(() => parseDockerfile('# only a comment')).toThrow(/no FROM/);
  });

  it('tells the exec form from the shell form', () => {
    expect(execForm('["node", "app.js"]')).toEqual(['node', 'app.js']);
    expect(execForm('node app.js')).toBeNull();
    expect(execForm("['node']")).toBeNull();
    expect(execForm('[1, 2]')).toBeNull();
  });
});

describe('DockerIgnore', () => {
  const ignore = new DockerIgnore(
    ['# c', '**/node_modules', '*.log', 'deploy', '!deploy/keep.mjs', '/secret/'].join('\n'),
  );

  it('excludes matches, their contents and nested matches; the last rule wins', () => {
    expect(ignore.excludes('node_modules/x/index.js')).toBe(true);
    expect(ignore.excludes('packages/a/node_modules/x')).toBe(true);
    expect(ignore.excludes('build.log')).toBe(true);
    expect(ignore.excludes('logs/build.log')).toBe(false);
    expect(ignore.excludes('deploy/config/credentials/key.p8')).toBe(true);
    expect(ignore.excludes('deploy/keep.mjs')).toBe(false);
    expect(ignore.excludes('secret/a')).toBe(true);
    expect(ignore.excludes('packages/core/src/index.ts')).toBe(false);
  });
});
