// Prisma 7's CLI migrates only through a native engine it downloads, which this project cannot fetch.
// The same engine compiled to WebAssembly runs here, talking to the database through a driver adapter.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as wasmBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

export type SchemaEngine = wasmBindings.SchemaEngine;

/** Every command wants a filter; we have no external tables or enums to leave alone. */
const NO_FILTERS = { externalTables: [], externalEnums: [] };

// The generated bindings miss this declaration, and the Node typings leave out the WebAssembly global.
type WasmExports = Record<string, unknown>;
type Bindings = typeof wasmBindings & { __wbg_set_wasm(exports: WasmExports): void };
type WebAssemblyApi = {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, object>) => { exports: WasmExports };
};
const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };
type PanicRegistry = { message: string; set_message(message: string): void };

let instantiated = false;

/** Instantiates the WASM module once per process: the bindings keep it in module state. */
function instantiateOnce(): void {
  if (instantiated) return;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
  const registry = globalThis as typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  registry.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: '',
    set_message(message: string) {
      this.message = message;
    },
  };
  const module = new WebAssembly.Module(readFileSync(path.join(dir, 'schema_engine_bg.wasm')));
  const instance = new WebAssembly.Instance(module, {
    './schema_engine_bg.js': wasmBindings,
  });
  (wasmBindings as Bindings).__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  instantiated = true;
}

export type EngineSession = {
  engine: SchemaEngine;
  schemaFiles: { path: string; content: string }[];
  filters: typeof NO_FILTERS;
  /** Awaits an engine call, turning its opaque "External error id#N" into the driver's own error. */
  call<T>(pending: Promise<T>): Promise<T>;
};

export async function openSchemaEngine(options: {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  schemaFiles: { path: string; content: string }[];
  log?: (line: string) => void;
}): Promise<EngineSession> {
  instantiateOnce();
  const factory = bindMigrationAwareSqlAdapterFactory(options.adapter);
  const log = options.log ?? (() => {});
  const engine = await wasmBindings.SchemaEngine.new(
    { datamodels: options.schemaFiles.map((file): [string, string] => [file.path, file.content]) },
    log,
    factory,
  );
  async function call<T>(pending: Promise<T>): Promise<T> {
    try {
      return await pending;
    } catch (error) {
      throw describeEngineError(error, factory.errorRegistry);
    }
  }
  return { engine, schemaFiles: options.schemaFiles, filters: NO_FILTERS, call };
}

function describeEngineError(
  error: unknown,
  registry: { consumeError(id: number): { error: unknown } | undefined },
) {
  const { message, code } = error as { message?: string; code?: string };
  const external = /External error id#(\d+)/.exec(message ?? '');
  const driverError = external ? registry.consumeError(Number(external[1]))?.error : undefined;
  const detail = driverError === undefined ? '' : `\n  driver error: ${JSON.stringify(driverError)}`;
  return new Error(`migration engine: ${code ? `${code} ` : ''}${message ?? String(error)}${detail}`, {
    cause: error,
  });
}
