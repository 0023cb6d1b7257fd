/**
 * Compile-once caches for the codec's reader and writer closures.
 */

/**
 * Returns the function compiled for `key`, compiling it on first use. While it compiles, a
 * forwarding function stands in the cache, so that a recursive type which reaches itself during
 * its own compilation finds a function to call (the forwarder calls the finished one later).
 */
export function compiledFor<K extends object, F extends (...args: never[]) => unknown>(cache: WeakMap<K, F>, key: K, compile: (key: K) => F): F {
  let fn = cache.get(key);
  if (fn === undefined) {
    let compiled: F | undefined;
    cache.set(key, ((...args: Parameters<F>) => compiled!(...args)) as F);
    compiled = compile(key);
    cache.set(key, compiled);
    fn = compiled;
  }
  return fn;
}
