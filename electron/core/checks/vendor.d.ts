/** The parts of SaxonJS and of xmllint-wasm's Emscripten module the checks use (neither ships typings for them). */
declare module 'saxon-js' {
  /** An XDM node or value, opaque to us: only passed back to SaxonJS. */
  type Xdm = object;
  interface TransformOptions {
    stylesheetInternal: object;
    sourceNode?: Xdm;
    sourceText?: string;
    /** The initial match selection: templates are applied to each item. */
    initialSelection?: Xdm[];
    destination: 'raw' | 'document' | 'serialized';
    stylesheetParams?: Record<string, unknown>;
  }
  interface XPathOptions {
    params?: Record<string, unknown>;
    namespaceContext?: Record<string, string>;
    resultForm?: 'array' | 'iterator' | 'xdm' | 'default';
  }
  const SaxonJS: {
    transform(options: TransformOptions, mode: 'sync'): { principalResult: Xdm | Xdm[] | null };
    XPath: { evaluate(expression: string, context: Xdm | null, options?: XPathOptions): unknown };
    getProcessorInfo(): { productVersion: string };
  };
  export default SaxonJS;
}

declare module 'xmllint-wasm/xmllint-node.js' {
  interface XmllintRun {
    inputFiles: Array<{ fileName: string; contents: string }>;
    arguments: string[];
    print(text: string): void;
    printErr(text: string): void;
    onExit(code: number): void;
    onAbort(reason: unknown): void;
    wasmMemory: WebAssembly.Memory;
    instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
  }
  const xmllint: (run: XmllintRun) => Promise<unknown>;
  export default xmllint;
}
