// The entry point of a worker thread of `s1ql check` (see check-workers.ts; the work is in check-thread.ts).
// JavaScript for the reason given in bin.js: a worker has its own module loader, and must turn the compile cache
// on before it loads any TypeScript.
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./check-thread.ts');
