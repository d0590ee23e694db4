// Resolve hook: `electron` is the stub module (which hands out the stub object installed on globalThis).
const stub = new URL('./electron-stub-module.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  return specifier === 'electron' ? { url: stub, shortCircuit: true } : next(specifier, context);
}
