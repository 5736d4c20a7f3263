/** The package entry: the core client and every element (importing it defines the elements). */
export * from './src/index.js';
export { vinteoClientContext } from './src/context.js';
export * from './components/index.js';
