export * from './token-storage.js';
