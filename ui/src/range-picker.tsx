import { useEffect, useRef, useState } from 'preact/hooks';
import { dateTime, zoneName } from './format.js';
import {
  PRESETS,
  type RangeParams,
  type ResolvedRange,
  rangeFromInputs,
  rangeFromText,
  type TimeZoneMode,
} from './time-range.js';

interface Props {
  /** The range as the URL says it, and as resolved now. */
  params: RangeParams;
  resolved: ResolvedRange;
  zone: TimeZoneMode;
  onZone: (z: TimeZoneMode) => void;
  onPick: (p: RangeParams) => void;
}

/**
 * The time-range picker: presets, a relative field (`last 4 hours`, `now-2d`), absolute From/To
 * (dates in the display zone, or `now-…` expressions), and the local/UTC switch.
 */
export function RangePicker({ params, resolved, zone, onZone, onPick }: Props) {
  const [open, setOpen] = useState(false);
  const [quick, setQuick] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const box = useRef<HTMLDivElement>(null);

  /** Opens with the fields showing the current range (set here, not in an effect, so typing is never overwritten). */
  const show = (): void => {
    setProblem(undefined);
    setQuick('');
    setFrom(resolved.from === undefined ? '' : dateTime(resolved.from, zone));
    setTo(params.range === 'custom' && resolved.to !== undefined ? dateTime(resolved.to, zone) : 'now');
    setOpen(true);
  };

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent): void => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);

  const pick = (p: RangeParams): void => {
    setOpen(false);
    onPick(p);
  };
  const label =
    params.range === 'custom' && !resolved.problem
      ? `${dateTime(resolved.from!, zone)} → ${dateTime(resolved.to!, zone)}`
      : resolved.label;

  return (
    <div class="range" ref={box}>
      <button
        type="button"
        class="range-btn"
        aria-haspopup="dialog"
        aria-expanded={open}
        data-testid="range-button"
        title="Time range"
        onClick={() => (open ? setOpen(false) : show())}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      <button
        type="button"
        class="zone-btn"
        data-testid="zone-toggle"
        title={`Times are shown in ${zone === 'utc' ? 'UTC' : 'local time'}; click for ${zone === 'utc' ? 'local time' : 'UTC'}`}
        onClick={() => onZone(zone === 'utc' ? 'local' : 'utc')}
      >
        {zone === 'utc' ? 'UTC' : `Local ${zoneName('local')}`}
      </button>
      {open ? (
        <div class="range-pop" role="dialog" aria-label="Time range" data-testid="range-dialog">
          <form
            class="range-quick"
            onSubmit={(e) => {
              e.preventDefault();
              const r = rangeFromText(quick);
              if (r.ok) pick(r.value);
              else setProblem(r.message);
            }}
          >
            <input
              class="mono"
              aria-label="Relative range"
              placeholder="last 4 hours, now-2d, 90m"
              value={quick}
              onInput={(e) => setQuick((e.target as HTMLInputElement).value)}
            />
            <button type="submit" class="ghost">
              Go
            </button>
          </form>
          <div class="range-presets">
            {PRESETS.map((p) => (
              <button
                type="button"
                key={p.id}
                class={p.id === params.range ? 'preset on' : 'preset'}
                onClick={() => pick({ range: p.id })}
              >
                {p.label}
              </button>
            ))}
          </div>
          <form
            class="range-abs"
            onSubmit={(e) => {
              e.preventDefault();
              const r = rangeFromInputs(from, to, Date.now(), zone);
              if (r.ok) pick(r.value);
              else setProblem(r.message);
            }}
          >
            <label>
              From
              <input
                class="mono"
                aria-label="From"
                value={from}
                onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
              />
            </label>
            <label>
              To
              <input
                class="mono"
                aria-label="To"
                value={to}
                onInput={(e) => setTo((e.target as HTMLInputElement).value)}
              />
            </label>
            <button type="submit" class="primary">
              Apply
            </button>
            <div class="muted range-help">
              {zone === 'utc' ? 'UTC' : `local time (${zoneName('local')})`}: 2026-12-05 14:00, or now-15m,
              now
            </div>
          </form>
          {problem ? (
            <div class="range-problem" role="alert">
              {problem}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
