// Resolve hook (see node20-globsync.mjs): 'fs' imported by the conformance package resolves to fs plus globSync.
const fsWithGlobSync = 'data:text/javascript,' + encodeURIComponent(
  "export * from 'node:fs'; import fs from 'node:fs'; export default fs;\n" +
  "export function globSync() { throw new Error('fs.globSync needs Node 22 or later'); }");

export async function resolve(specifier, context, next) {
  if ((specifier === 'fs' || specifier === 'node:fs') && context.parentURL?.includes('/@modelcontextprotocol/conformance/'))
    return { url: fsWithGlobSync, shortCircuit: true };
  return next(specifier, context);
}
