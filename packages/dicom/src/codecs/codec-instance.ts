import * as fs from 'node:fs';
import { NativeCodecs } from 'dcmjs-codecs';

/**
 * The WebAssembly instance behind dcmjs-codecs' NativeCodecs, owned here so that it can be replaced at once.
 *
 * A codec reports a corrupt stream by calling back into JavaScript, which throws through its C++ frames and skips
 * their clean-up. The instance is then unsound: seen here, one forged stream grew its heap to 1.9 GB, after which a
 * valid frame's encode trapped out of bounds; and keeping an instance through its failures (even with a small
 * heap) let the fuzz run hang. So every failed decode gets a fresh instance. NativeCodecs.initializeAsync compiles
 * the module anew each time (about 40 ms, asynchronous); here it is compiled once and each replacement is a
 * synchronous instantiation (about 10 ms), so even the synchronous readBoneScan goes on with a sound codec.
 *
 * The imports and the API object are those NativeCodecs.initializeAsync builds in dcmjs-codecs 0.0.8, the version
 * package-lock.json pins (`^0.0.8` admits no other); the round-trip tests read and write every JPEG-family syntax
 * through them.
 */

const WASI_SUCCESS = 0;
const WASI_BAD_FILE_DESCRIPTOR = 8;

let compiled: WebAssembly.Module | undefined;

/** NativeCodecs' own slot for its instance and exports, which its methods read on every call. */
const codecs = NativeCodecs as unknown as { wasmApi: { wasmMemory: WebAssembly.Memory } & Record<string, unknown> };

export async function compileCodecs(): Promise<void> {
  compiled ??= await WebAssembly.compile(await fs.promises.readFile(require.resolve('dcmjs-codecs/build/dcmjs-native-codecs.wasm')));
}

/** Installs a new instance of the compiled codecs as NativeCodecs' own; the old one is left to the collector. */
export function instantiateCodecs(): void {
  if (!compiled) throw new Error('the codecs are not compiled yet: await compileCodecs() first');
  const instance = new WebAssembly.Instance(compiled, imports());
  const api: (typeof codecs)['wasmApi'] = {
    wasmInstance: instance,
    wasmModule: compiled,
    wasmMemory: instance.exports.memory as WebAssembly.Memory,
    wasmEnv: {},
  };
  for (const { name, kind } of WebAssembly.Module.exports(compiled)) if (kind === 'function') api[`wasm${name}`] = instance.exports[name];
  codecs.wasmApi = api;
}

function memory(): ArrayBuffer {
  return codecs.wasmApi.wasmMemory.buffer;
}

const textAt = (pointer: number, length: number) => Buffer.from(memory(), pointer, length).toString('latin1');

/** The codecs' environment: errors become exceptions (as in dcmjs-codecs), their log and stderr go nowhere. */
function imports(): WebAssembly.Imports {
  return {
    env: {
      onCodecsException: (pointer: number, length: number) => {
        throw new Error(textAt(pointer, length));
      },
      onCodecsInfo: () => undefined,
      onCodecsTrace: () => undefined,
      emscripten_notify_memory_growth: () => undefined,
    },
    wasi_snapshot_preview1: {
      proc_exit: (code: number) => {
        throw new Error(`WebAssembly module exited with return value ${code}`);
      },
      clock_time_get: (_clock: number, _precision: bigint, resultPointer: number) => {
        new DataView(memory()).setBigUint64(resultPointer, process.hrtime.bigint(), true);
        return WASI_SUCCESS;
      },
      fd_write: (fd: number, iovs: number, iovsLength: number, writtenPointer: number) => {
        if (fd !== 1 && fd !== 2) return WASI_BAD_FILE_DESCRIPTOR;
        const view = new DataView(memory());
        let written = 0;
        for (let i = 0; i < iovsLength; i++) written += view.getUint32(iovs + i * 8 + 4, true);
        view.setUint32(writtenPointer, written, true);
        return WASI_SUCCESS;
      },
      fd_seek: () => WASI_SUCCESS,
      fd_close: () => WASI_SUCCESS,
      environ_sizes_get: (countPointer: number, sizePointer: number) => {
        const view = new DataView(memory());
        view.setUint32(countPointer, 0, true);
        view.setUint32(sizePointer, 0, true);
        return WASI_SUCCESS;
      },
      environ_get: () => WASI_SUCCESS,
    },
  };
}
