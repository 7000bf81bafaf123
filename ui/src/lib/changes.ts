// Boards and cards refresh when the data they show changes: every write in the shell emits
// `data-changed` with the entity it touched. `onChange` subscribes a component for as long as it
// is mounted; `listen` is the same outside a component. `subscription` is the part under both,
// for any shell event (task progress too).
import { onMount } from "svelte";
import { backend } from "../ipc/backend";
import type { DataChanged } from "../ipc/bindings";
import { showError } from "./notify.svelte";

/** What a write can touch: the names the shell sends (generated from Rust). */
export type Entity = DataChanged["entity"];

type Subscribe = (handler: (entity: Entity) => void) => Promise<() => void>;

/**
 * Starts a subscription that takes a moment to be ready (`subscribe` resolves to its unlisten)
 * and returns its stop. Stopping before it is ready is safe: it is dropped as soon as it arrives,
 * and `handler` is not called after the stop. A subscription that cannot start is an error toast.
 */
export function subscription<T>(subscribe: (handler: (value: T) => void) => Promise<() => void>, handler: (value: T) => void): () => void {
  let stopped = false;
  let off: (() => void) | undefined;
  subscribe((value) => {
    if (!stopped) handler(value);
  }).then(
    (unlisten) => {
      if (stopped) unlisten();
      else off = unlisten;
    },
    (e) => {
      if (!stopped) showError(e);
    },
  );
  return () => {
    stopped = true;
    off?.();
    off = undefined;
  };
}

/**
 * Calls `fn(entity)` after every write to one of `entities` (or to anything, with "all"), from
 * now until the returned stop is called (see `subscription`).
 */
export function listen(
  entities: readonly Entity[] | "all",
  fn: (entity: Entity) => void,
  subscribe: Subscribe = backend.onDataChanged,
): () => void {
  return subscription(subscribe, (entity) => {
    if (entities === "all" || entities.includes(entity)) fn(entity);
  });
}

/** `listen` for the life of the calling component: call it while the component initialises. */
export function onChange(entities: readonly Entity[] | "all", fn: (entity: Entity) => void) {
  onMount(() => listen(entities, fn));
}
