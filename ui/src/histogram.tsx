import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SearchResponse } from '../../search/types.js';
import { clock, count, dateTime, duration } from './format.js';
import { ERROR_FILL, OTHER_FILL } from './palette.js';
import type { TimeZoneMode } from './time-range.js';

/** Y-axis steps: whole events only (no "0.5" on an empty or small chart). */
const COUNT_STEPS = [1, 2, 5]
  .flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].map((p) => m * p))
  .sort((a, b) => a - b);

interface Props {
  histogram: SearchResponse['histogram'];
  /** Called with a dragged selection (epoch ms). */
  onZoom: (from: number, to: number) => void;
  /** The zone of the time axis. */
  zone: TimeZoneMode;
  /** Set when the counts stopped at their time budget: the bars before it were not counted. */
  countedFrom?: number;
}

/** The thinnest the red (error) part of a bar is drawn, in pixels. */
const MIN_ERROR_PX = 3;

/** A tick label: `14:03:07` under 10 minutes, `14:03` under a day, `12-05 14:00` beyond. */
function axisTime(t: number, spanMs: number, zone: TimeZoneMode): string {
  if (spanMs > 86_400_000) return dateTime(t, zone).slice(5, 16);
  return clock(t, zone).slice(0, spanMs < 600_000 ? 8 : 5);
}

/**
 * Events over time as stacked bars: the other levels below, errors in red on top; drag to zoom into a
 * range. (Stacked the way uPlot's stacking demos do it: the errors series holds the running total and
 * is drawn first, the other levels drawn over its lower part.)
 */
export function Histogram({ histogram, onZoom, zone, countedFrom }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = histogram.buckets.map((b) => b.start / 1000);
    // A bucket with errors shows at least ~3 px of red (1 % errors in a full bucket would be under a
    // pixel): the red part is drawn no thinner than MIN_ERROR_PX of the ~60 px the tallest bar gets.
    const max = Math.max(1, ...histogram.buckets.map((b) => b.count));
    const minErrors = (max * MIN_ERROR_PX) / 60;
    const data: uPlot.AlignedData = [
      xs,
      histogram.buckets.map((b) =>
        b.errors > 0 ? b.count - b.errors + Math.max(b.errors, minErrors) : b.count,
      ),
      histogram.buckets.map((b) => b.count - b.errors),
    ];
    const bars = uPlot.paths.bars?.({ size: [0.8, 40], align: 1 });
    const opts: uPlot.Options = {
      width: el.clientWidth || 800,
      height: 120,
      padding: [8, 8, 0, 0],
      tzDate: (ts) => (zone === 'utc' ? uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC') : new Date(ts * 1e3)),
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: {
        x: { time: true, range: [histogram.from / 1000, histogram.to / 1000] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        {
          stroke: '#8b93a7',
          grid: { show: false },
          ticks: { stroke: '#2a3142' },
          font: '11px system-ui',
          // the explorer's one time format, cut to what the span needs
          values: (_u, splits) => splits.map((t) => axisTime(t * 1000, histogram.to - histogram.from, zone)),
        },
        {
          stroke: '#8b93a7',
          grid: { stroke: '#222a3a' },
          ticks: { show: false },
          incrs: COUNT_STEPS,
          values: (_u, splits) => {
            el.dataset.yTicks = splits.join(','); // what the axis shows, for tests and tools
            return splits.map(count);
          },
          size: 44,
          font: '11px system-ui',
        },
      ],
      series: [
        {},
        {
          label: 'errors',
          fill: ERROR_FILL,
          stroke: ERROR_FILL,
          width: 0,
          paths: bars,
          points: { show: false },
        },
        {
          label: 'other levels',
          fill: OTHER_FILL,
          stroke: OTHER_FILL,
          width: 0,
          paths: bars,
          points: { show: false },
        },
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const a = u.posToVal(u.select.left, 'x') * 1000;
            const b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(Math.floor(a), Math.ceil(b));
          },
        ],
      },
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height: 120 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [histogram, zone]);

  const total = histogram.buckets.reduce((n, b) => n + b.count, 0);
  const errors = histogram.buckets.reduce((n, b) => n + b.errors, 0);
  return (
    <section class="histogram" aria-label="Events over time">
      <div class="histogram-head">
        <span>
          <b>
            {countedFrom === undefined ? '' : '≥ '}
            {count(total)}
          </b>{' '}
          events · <span class="err-text">{count(errors)} errors</span>
          {countedFrom === undefined ? null : (
            <span class="muted" data-testid="histogram-partial">
              {' '}
              · counted from {dateTime(countedFrom, zone)} on
            </span>
          )}
          <span class="legend">
            <i style={{ background: ERROR_FILL }} /> errors <i style={{ background: OTHER_FILL }} /> other
            levels
          </span>
        </span>
        <span class="muted">
          {dateTime(histogram.from)} → {dateTime(histogram.to)} · {duration(histogram.intervalMs)} buckets ·
          drag to zoom
        </span>
      </div>
      <div ref={box} class="chart" data-testid="histogram" />
    </section>
  );
}
