/**
 * The widget's reactive state, in ~20 lines: a cell is a value the views read; setting it
 * re-renders the widget once per tick, however many cells changed. (@preact/signals did this
 * job first; it cost 3 KB gzipped of the 16 KB budget for what one small tree needs.)
 */
import { Component } from 'preact';

export interface Cell<T> {
  value: T;
}

export type CellFactory = <T>(initial: T) => Cell<T>;

export function createCells() {
  const listeners = new Set<() => void>();
  let queued = false;
  const notify = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      for (const fn of listeners) fn();
    });
  };
  const cell: CellFactory = (initial) => {
    let current = initial;
    return {
      get value() {
        return current;
      },
      set value(next) {
        if (!Object.is(next, current)) {
          current = next;
          notify();
        }
      },
    };
  };
  return {
    cell,
    subscribe(fn: () => void) {
      listeners.add(fn);
      return () => {
        listeners.delete(fn);
      };
    },
  };
}

/** A component that re-renders whenever a cell of its `state` changes. */
export abstract class Live<
  P extends { state: { subscribe(fn: () => void): () => void } },
> extends Component<P> {
  off?: () => void;
  override componentDidMount() {
    this.off = this.props.state.subscribe(() => this.forceUpdate());
  }
  override componentWillUnmount() {
    this.off?.();
  }
}
