export * from './stack.js';
export * from './child-service.js';
