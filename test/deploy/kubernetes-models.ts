// Validates Kubernetes manifests with kubernetes-models: its JSON-schema validators for types, enums and
// required fields, and its TypeScript interfaces for misspelt or unknown fields (what `kubectl --validate=strict`
// would refuse), by type-checking the manifests as object literals.
import { join } from 'node:path';
import ts from 'typescript';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { scaledObjectProblems } from './keda-schema.js';
import { REPO_ROOT } from './repo-files.js';

interface ModelEntry {
  validate(data: object): void;
  /**
   * Where the interface is declared, and its name, for the strict-field check. Absent for a custom resource
   * validated by a JSON schema of our own, which refuses unknown fields itself (keda-schema.ts).
   */
  module?: string;
  typeName?: string;
}

// The kinds Pushwire's manifests use; anything else is reported rather than passed unchecked.
const MODELS: Record<string, ModelEntry> = {
  'v1/ConfigMap': {
    validate: (d) => new ConfigMap(d as never).validate(),
    module: 'kubernetes-models/v1/ConfigMap',
    typeName: 'IConfigMap',
  },
  'v1/Service': {
    validate: (d) => new Service(d as never).validate(),
    module: 'kubernetes-models/v1/Service',
    typeName: 'IService',
  },
  'apps/v1/Deployment': {
    validate: (d) => new Deployment(d as never).validate(),
    module: 'kubernetes-models/apps/v1/Deployment',
    typeName: 'IDeployment',
  },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    validate: (d) => new HorizontalPodAutoscaler(d as never).validate(),
    module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    typeName: 'IHorizontalPodAutoscaler',
  },
  'keda.sh/v1alpha1/ScaledObject': {
    validate: (d) => {
      const problems = scaledObjectProblems(d);
      if (problems.length > 0) throw new Error(problems.join('; '));
    },
  },
  'policy/v1/PodDisruptionBudget': {
    validate: (d) => new PodDisruptionBudget(d as never).validate(),
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    typeName: 'IPodDisruptionBudget',
  },
};

export interface Manifest {
  /** Where it came from, for messages (`worker-deployment.yaml#1`). */
  label: string;
  doc: { apiVersion?: unknown; kind?: unknown } & Record<string, unknown>;
}

function modelOf(manifest: Manifest): ModelEntry {
  const key = `${String(manifest.doc.apiVersion)}/${String(manifest.doc.kind)}`;
  const entry = MODELS[key];
  if (!entry) throw new Error(`${manifest.label}: no model for ${key}`);
  return entry;
}

/** Schema problems of one manifest (empty when valid). */
export function schemaProblems(manifest: Manifest): string[] {
  try {
    modelOf(manifest).validate(manifest.doc);
    return [];
  } catch (error) {
    return [`${manifest.label}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/**
 * Fields the Kubernetes API types do not have (typos such as `replica:`), found by TypeScript's excess
 * property check on each manifest written as a literal of its kind's interface.
 */
export function unknownFieldProblems(manifests: readonly Manifest[]): string[] {
  const fileName = join(REPO_ROOT, 'test', 'deploy', '__manifests-under-check__.ts');
  const imports = new Map<string, string>();
  const spans: Array<{ label: string; start: number; end: number }> = [];
  let body = '';
  manifests.forEach((manifest, index) => {
    const model = modelOf(manifest);
    if (model.typeName === undefined || model.module === undefined) return;
    imports.set(model.typeName, model.module);
    const start = body.length;
    body += `export const m${index}: ${model.typeName} = ${JSON.stringify(manifest.doc, null, 2)};\n`;
    spans.push({ label: manifest.label, start, end: body.length });
  });
  const header = [...imports].map(([type, module]) => `import type { ${type} } from '${module}';\n`).join('');
  const source = header + body;

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) =>
    name === fileName
      ? ts.createSourceFile(name, source, languageVersion, true)
      : getSourceFile(name, languageVersion, onError, shouldCreate);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === fileName ? source : readFile(name));

  const program = ts.createProgram([fileName], options, host);
  const file = program.getSourceFile(fileName);
  if (!file) throw new Error('the manifests did not load into the TypeScript program');
  const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
  return diagnostics.map((diagnostic) => {
    const at = (diagnostic.start ?? 0) - header.length;
    const label = spans.find((span) => at >= span.start && at < span.end)?.label ?? '(imports)';
    return `${label}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}
