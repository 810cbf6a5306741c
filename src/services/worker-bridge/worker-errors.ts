/**
 * Errors across the worker boundary. Comlink sends an error thrown in a worker as a plain `Error`
 * (message, name and stack only), so an `ImageRejectedError` would reach the page as an `Error`
 * and lose its type. This module replaces comlink's "throw" transfer handler, on both sides (the
 * worker entry and the page import it through expose-worker.ts / worker-bridge.ts): the thrown
 * error travels with its name, message, stack and its own cloneable fields (e.g. a
 * `NotACellError`'s `result`), and the page rebuilds it as the registered class of that name, so
 * `instanceof` and the text shown to the user stay what they were on the thrown side.
 * `AbortError` becomes a `DOMException` again. Anything else arrives as an `Error` with the same
 * name and message, as with comlink's own handler.
 */
import { transferHandlers, type TransferHandler } from 'comlink';

/** What an error looks like on the wire. */
export interface WireError {
  isError: boolean;
  name?: string;
  message?: string;
  stack?: string;
  fields?: Record<string, unknown>;
  value?: unknown;
}

type ErrorClass = abstract new (...args: never[]) => Error;

const errorTypes = new Map<string, ErrorClass>();

/**
 * Lets errors of `type` thrown in a worker arrive as that class. `name` is the error's `name`
 * property (a string literal in the class: unlike the class's own name it survives minification).
 */
export function registerWorkerError(name: string, type: ErrorClass): void {
  errorTypes.set(name, type);
}

function cloneable(v: unknown): boolean {
  try {
    structuredClone(v);
    return true;
  } catch {
    return false;
  }
}

export function errorToWire(value: unknown): WireError {
  if (!(value instanceof Error)) return { isError: false, value };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k !== 'name' && k !== 'message' && k !== 'stack' && cloneable(v)) fields[k] = v;
  }
  return { isError: true, name: value.name, message: value.message, stack: value.stack, fields };
}

export function errorFromWire(wire: WireError): unknown {
  if (!wire.isError) return wire.value;
  const message = wire.message ?? '';
  if (wire.name === 'AbortError') return new DOMException(message, 'AbortError');
  const type = wire.name ? errorTypes.get(wire.name) : undefined;
  // The registered class's prototype, without running its constructor (whose arguments, e.g. a gate
  // result, are not what travelled): the fields that travelled are put back as own properties.
  const err: Error = type ? (Object.create(type.prototype as object) as Error) : new Error(message);
  Object.assign(err, wire.fields ?? {});
  Object.defineProperty(err, 'message', { value: message, writable: true, configurable: true, enumerable: false });
  if (wire.name)
    Object.defineProperty(err, 'name', { value: wire.name, writable: true, configurable: true, enumerable: !!type });
  if (wire.stack)
    Object.defineProperty(err, 'stack', { value: wire.stack, writable: true, configurable: true, enumerable: false });
  return err;
}

const throwMarkerValue = (v: unknown): v is { value: unknown } => typeof v === 'object' && v !== null;

const existing = transferHandlers.get('throw');
if (existing) {
  const handler: TransferHandler<{ value: unknown }, WireError> = {
    // Comlink marks thrown values with a private symbol; its own handler knows how to recognise it.
    canHandle: (v): v is { value: unknown } => throwMarkerValue(v) && existing.canHandle(v),
    serialize: ({ value }) => [errorToWire(value), []],
    deserialize: (wire) => {
      throw errorFromWire(wire);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
}
