import type { RefObject } from 'preact';
import { type Dispatch, type StateUpdater, useEffect } from 'preact/hooks';
import type { RequestTransactions } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { transactionOf } from './links.js';

/** What the keyboard acts on. */
export interface KeyboardTargets {
  /** Off while a trace is open. */
  enabled: boolean;
  input: RefObject<HTMLInputElement | null>;
  events: readonly LogEvent[];
  selected: number;
  setSelected: Dispatch<StateUpdater<number>>;
  onToggle: (id: string) => void;
  onTrace: (transactionId: string) => void;
  /** Transactions of request ids, for rows without a transaction id of their own (START/REPORT…). */
  links?: RequestTransactions;
  onLive: () => void;
}

/** Keyboard: / focuses the search; j/k or arrows move; Enter expands; t opens the trace; l toggles live. */
export function useKeyboard(t: KeyboardTargets): void {
  const { enabled, input, events, selected, setSelected, onToggle, onTrace, onLive, links } = t;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!enabled || e.metaKey || e.ctrlKey || e.altKey) return;
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
      if (e.key === '/' && !typing) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
        return;
      }
      if (typing) {
        if (e.key === 'ArrowDown' && e.target === input.current) {
          e.preventDefault();
          (document.querySelector('[data-testid="result-row"]') as HTMLElement | null)?.focus();
          setSelected(0);
        }
        return;
      }
      const ev = events[selected];
      if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        setSelected((s) => Math.min(events.length - 1, s + 1));
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        setSelected((s) => Math.max(0, s - 1));
      } else if ((e.key === 'Enter' || e.key === ' ') && ev) {
        e.preventDefault();
        onToggle(ev.event.id);
      } else if (e.key === 't' && ev && transactionOf(ev, links)) {
        onTrace(transactionOf(ev, links) as string);
      } else if (e.key === 'l') {
        onLive();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, input, events, selected, setSelected, onToggle, onTrace, onLive, links]);
}
