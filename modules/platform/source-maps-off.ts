/**
 * cdktf captures a full stack trace for every token it creates, and tsx
 * registers a source map for every module it loads: with source maps on,
 * Node maps each of those traces, which cost more than the synth itself.
 * User errors print without stack traces anyway; a real bug's trace points
 * at tsx's output, which keeps the source's names and order. This must run
 * before the other imports so no module registers a source map.
 */
process.setSourceMapsEnabled(false);

export {};
