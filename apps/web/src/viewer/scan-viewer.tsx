'use client';

import { VIEWS, WINDOW_PRESETS, type View, type WindowPreset } from '@bonescan/clinical';
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type WheelEvent } from 'react';
import { ApiBanner } from '../components/api-banner';
import { ApiError } from '../graphql/request';
import { modelPointInView } from './coordinates';
import { fetchRaster, HEAT_SHOWN_FROM, heatColour, paintHeatmap, paintView, type Raster, type WindowLevel } from './pixels';

export interface ViewerView {
  id: string;
  view: View;
  width: number;
  height: number;
}

/** A hotspot as the API gives it: x and y in the model's space of its view (see coordinates.ts). */
export interface ViewerHotspot {
  view: View;
  x: number;
  y: number;
  intensity: number;
  region: string;
}

interface Camera {
  zoom: number;
  x: number;
  y: number;
}

const HOME: Camera = { zoom: 1, x: 0, y: 0 };

/**
 * AP and PA side by side at full resolution: window/level by dragging, presets, invert, zoom and pan
 * shared by both views, and the Grad-CAM overlay with its hotspots when the AI may be shown.
 */
export function ScanViewer({
  views,
  predictionId,
  hasHeatMap,
  hotspots,
  showAi,
}: {
  views: ViewerView[];
  predictionId: string | null;
  /** Whether the prediction has a heat map: without one, none is requested and the reader is told why. */
  hasHeatMap: boolean;
  hotspots: ViewerHotspot[];
  showAi: boolean;
}) {
  const [rasters, setRasters] = useState<Partial<Record<View, Raster>>>({});
  const [heatmaps, setHeatmaps] = useState<Partial<Record<View, Raster>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [windowLevel, setWindowLevel] = useState<WindowLevel>(WINDOW_PRESETS.STANDARD);
  const [invert, setInvert] = useState(true);
  const heatMapShown = showAi && hasHeatMap;
  const [overlay, setOverlay] = useState(heatMapShown);
  const [focused, setFocused] = useState<ViewerHotspot | null>(null);
  const [opacity, setOpacity] = useState(0.5);
  const [camera, setCamera] = useState<Camera>(HOME);
  const [painted, setPainted] = useState(false);
  const paintedOnce = useRef(false);

  useEffect(() => {
    let cancelled = false;
    Promise.all(views.map(async (view) => [view.view, await fetchRaster(`/api/views/${view.id}/pixels`)] as const))
      .then((loaded) => !cancelled && setRasters(Object.fromEntries(loaded)))
      .catch((caught: ApiError) => !cancelled && setError(caught));
    return () => {
      cancelled = true;
    };
  }, [views]);

  useEffect(() => {
    if (!heatMapShown || !predictionId) return;
    let cancelled = false;
    // One heat map per view shown, each sized by the API (the model's space, not the view's own pixels).
    Promise.all(views.map(async (view) => [view.view, await fetchRaster(`/api/predictions/${predictionId}/heatmap/${view.view}`)] as const))
      .then((loaded) => !cancelled && setHeatmaps(Object.fromEntries(loaded)))
      .catch((caught: ApiError) => !cancelled && setError(caught));
    return () => {
      cancelled = true;
    };
  }, [views, predictionId, heatMapShown]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
      if (event.key === 'h' && heatMapShown) setOverlay((shown) => !shown);
      else if (event.key === 'i') setInvert((inverted) => !inverted);
      else if (event.key === '0') setCamera(HOME);
      else if (event.key === '+' || event.key === '=') setCamera((current) => ({ ...current, zoom: Math.min(16, current.zoom * 1.25) }));
      else if (event.key === '-') setCamera((current) => ({ ...current, zoom: Math.max(0.5, current.zoom / 1.25) }));
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [heatMapShown]);

  const onPainted = useCallback(() => {
    if (paintedOnce.current) return;
    paintedOnce.current = true;
    setPainted(true);
    performance.mark('viewer-first-paint');
  }, []);

  const paneRefs = useRef<Partial<Record<View, PaneGeometry>>>({});
  const focus = (hotspot: ViewerHotspot) => {
    setFocused(hotspot);
    const pane = paneRefs.current[hotspot.view];
    if (!pane?.element) return;
    const zoom = 3;
    const at = modelPointInView(hotspot);
    setCamera({ zoom, x: pane.element.clientWidth / 2 - zoom * at.x * pane.stageWidth, y: pane.element.clientHeight / 2 - zoom * at.y * pane.stageHeight });
  };
  const allPainted = views.every((view) => rasters[view.view]);
  // Strongest first, all of them: a reader checks every place the model looked, not the first few.
  const byHeat = [...hotspots].sort((a, b) => b.intensity - a.intensity);

  return (
    <div className="viewer" data-painted={allPainted && painted ? 'true' : 'false'}>
      <ViewerControls
        windowLevel={windowLevel}
        onWindow={setWindowLevel}
        invert={invert}
        onInvert={setInvert}
        showAi={showAi}
        hasHeatMap={hasHeatMap}
        overlay={overlay}
        onOverlay={setOverlay}
        opacity={opacity}
        onOpacity={setOpacity}
        onReset={() => setCamera(HOME)}
      />
      {error && <ApiBanner error={error} />}
      <div className="view-panes">
        {VIEWS.map((name) => {
          const view = views.find((candidate) => candidate.view === name);
          if (!view) return <MissingView key={name} view={name} />;
          return (
            <ViewPane
              key={name}
              view={view}
              raster={rasters[name]}
              heatmap={overlay ? heatmaps[name] : undefined}
              opacity={opacity}
              hotspots={showAi ? byHeat.filter((hotspot) => hotspot.view === name) : []}
              focused={focused}
              windowLevel={windowLevel}
              onWindow={setWindowLevel}
              invert={invert}
              camera={camera}
              onCamera={setCamera}
              onPainted={onPainted}
              register={(geometry) => {
                paneRefs.current[name] = geometry;
              }}
            />
          );
        })}
      </div>
      {showAi && hotspots.length > 0 && (
        <section aria-labelledby="hotspots-title" className="hotspots">
          <h2 id="hotspots-title">Hotspots</h2>
          <ol>
            {byHeat.map((hotspot, index) => (
              <li key={index}>
                <button type="button" aria-pressed={focused === hotspot} onClick={() => focus(hotspot)}>
                  {index + 1}. {hotspot.region.toLowerCase().replace(/_/g, ' ')} ({hotspot.view}) · peak heat {hotspot.intensity.toFixed(2)}
                </button>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

function MissingView({ view }: { view: View }) {
  return (
    <figure className="view-pane view-missing" aria-label={`${view} view missing`}>
      <figcaption>{view}</figcaption>
      <p role="note">Single-view scan: the {view} view has not been received. Read from the other view only, or wait for the partner view.</p>
    </figure>
  );
}

/** A pane's element and the size of the image drawn in it at zoom 1, in screen pixels. */
interface PaneGeometry {
  element: HTMLDivElement | null;
  stageWidth: number;
  stageHeight: number;
}

interface PaneProps {
  view: ViewerView;
  raster?: Raster;
  heatmap?: Raster;
  opacity: number;
  hotspots: ViewerHotspot[];
  focused: ViewerHotspot | null;
  windowLevel: WindowLevel;
  onWindow: (window: WindowLevel) => void;
  invert: boolean;
  camera: Camera;
  onCamera: (camera: Camera) => void;
  onPainted: () => void;
  register: (geometry: PaneGeometry) => void;
}

function ViewPane({ view, raster, heatmap, opacity, hotspots, focused, windowLevel, onWindow, invert, camera, onCamera, onPainted, register }: PaneProps) {
  const paneRef = useRef<HTMLDivElement>(null);
  const imageRef = useRef<HTMLCanvasElement>(null);
  const heatRef = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ mode: 'window' | 'pan'; x: number; y: number; start: WindowLevel; camera: Camera } | null>(null);
  const [paneHeight, setPaneHeight] = useState(0);
  const fit = paneHeight > 0 ? paneHeight / view.height : 1;

  useEffect(() => {
    const pane = paneRef.current;
    if (!pane) return;
    const observer = new ResizeObserver(() => setPaneHeight(pane.clientHeight));
    observer.observe(pane);
    setPaneHeight(pane.clientHeight);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    register({ element: paneRef.current, stageWidth: view.width * fit, stageHeight: view.height * fit });
  }, [register, view.width, view.height, fit]);

  useEffect(() => {
    const context = imageRef.current?.getContext('2d');
    if (!raster || !context) return;
    paintView(context, raster, windowLevel, invert);
    onPainted();
  }, [raster, windowLevel, invert, onPainted]);

  useEffect(() => {
    const context = heatRef.current?.getContext('2d');
    if (heatmap && context) paintHeatmap(context, heatmap.width, heatmap.height, heatmap.pixels);
  }, [heatmap]);

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    const mode = event.shiftKey || event.button !== 0 ? 'pan' : 'window';
    drag.current = { mode, x: event.clientX, y: event.clientY, start: windowLevel, camera };
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (start.mode === 'pan') {
      onCamera({ ...start.camera, x: start.camera.x + dx, y: start.camera.y + dy });
      return;
    }
    // Horizontal drag widens or narrows the window, vertical drag moves its level (as on PACS).
    const width = Math.min(1, Math.max(0.02, start.start.high - start.start.low + dx / 400));
    const level = Math.min(1, Math.max(0, (start.start.high + start.start.low) / 2 - dy / 400));
    onWindow({ low: Math.max(0, level - width / 2), high: Math.min(1, level + width / 2) });
  };
  const onWheel = (event: WheelEvent<HTMLDivElement>) => {
    const bounds = event.currentTarget.getBoundingClientRect();
    const factor = event.deltaY < 0 ? 1.2 : 1 / 1.2;
    const zoom = Math.min(16, Math.max(0.5, camera.zoom * factor));
    const px = event.clientX - bounds.left;
    const py = event.clientY - bounds.top;
    // Zoom about the pointer: the pixel under it stays put.
    onCamera({ zoom, x: px - ((px - camera.x) * zoom) / camera.zoom, y: py - ((py - camera.y) * zoom) / camera.zoom });
  };

  return (
    <figure className="view-pane" aria-label={`${view.view} view`}>
      <figcaption>
        {view.view}{' '}
        <span className="muted">
          {view.width}×{view.height}
        </span>
      </figcaption>
      <div
        ref={paneRef}
        className="view-canvas"
        style={{ width: Math.round(view.width * fit) }}
        role="img"
        aria-label={`${view.view} whole-body view; drag to change window and level, shift-drag to pan, wheel to zoom`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        onContextMenu={(event) => event.preventDefault()}
        onWheel={onWheel}
      >
        <div
          className="view-stage"
          style={{ width: view.width * fit, height: view.height * fit, transform: `translate(${camera.x}px, ${camera.y}px) scale(${camera.zoom})` }}
        >
          <canvas ref={imageRef} width={view.width} height={view.height} data-view={view.view} />
          {heatmap && <canvas ref={heatRef} className="heatmap" data-heatmap={view.view} width={heatmap.width} height={heatmap.height} style={{ opacity }} />}
          {hotspots.map((hotspot, index) => {
            const at = modelPointInView(hotspot);
            return (
              <span
                key={index}
                className={focused === hotspot ? 'hotspot-marker focused' : 'hotspot-marker'}
                data-hotspot-rank={index + 1}
                style={{ left: `${at.x * 100}%`, top: `${at.y * 100}%` }}
                aria-hidden
              />
            );
          })}
        </div>
        {!raster && <p className="loading">Loading {view.view}…</p>}
      </div>
    </figure>
  );
}

/** The heat map's colour scale, drawn with the same colours as the overlay, from the faintest heat shown to the strongest. */
function HeatLegend() {
  const stops = [HEAT_SHOWN_FROM, 0.5, 1].map((heat) => {
    const [red, green, blue, alpha] = heatColour(heat);
    return `rgba(${red}, ${green}, ${blue}, ${alpha / 255})`;
  });
  return (
    <span
      className="heat-legend"
      role="img"
      aria-label={`Heat-map scale: ${HEAT_SHOWN_FROM} faint yellow to 1.0 strongest red; below ${HEAT_SHOWN_FROM} not drawn`}
    >
      <span className="muted">heat {HEAT_SHOWN_FROM}</span>
      <span className="heat-legend-bar" style={{ background: `linear-gradient(to right, ${stops.join(', ')})` }} />
      <span className="muted">1.0</span>
    </span>
  );
}

interface ControlsProps {
  windowLevel: WindowLevel;
  onWindow: (window: WindowLevel) => void;
  invert: boolean;
  onInvert: (invert: boolean) => void;
  showAi: boolean;
  hasHeatMap: boolean;
  overlay: boolean;
  onOverlay: (overlay: boolean) => void;
  opacity: number;
  onOpacity: (opacity: number) => void;
  onReset: () => void;
}

function ViewerControls(props: ControlsProps) {
  const presets = Object.entries(WINDOW_PRESETS) as Array<[WindowPreset, WindowLevel]>;
  return (
    <div className="viewer-controls" role="toolbar" aria-label="Image display">
      <span className="muted" aria-live="polite">
        Window {Math.round(props.windowLevel.low * 100)}–{Math.round(props.windowLevel.high * 100)}%
      </span>
      {presets.map(([name, preset]) => (
        <button
          key={name}
          type="button"
          aria-pressed={props.windowLevel.low === preset.low && props.windowLevel.high === preset.high}
          onClick={() => props.onWindow(preset)}
        >
          {name.toLowerCase().replace('_', ' ')}
        </button>
      ))}
      <label className="checkbox">
        <input type="checkbox" checked={props.invert} onChange={(event) => props.onInvert(event.target.checked)} /> Invert (i)
      </label>
      <button type="button" onClick={props.onReset}>
        Reset zoom (0; + / − to zoom)
      </button>
      {props.showAi && (
        <>
          <label className="checkbox">
            <input type="checkbox" checked={props.overlay} disabled={!props.hasHeatMap} onChange={(event) => props.onOverlay(event.target.checked)} /> Heat map
            (h)
          </label>
          {props.hasHeatMap ? (
            <>
              <label>
                Opacity
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.05}
                  value={props.opacity}
                  onChange={(event) => props.onOpacity(Number(event.target.value))}
                  disabled={!props.overlay}
                />
              </label>
              <HeatLegend />
            </>
          ) : (
            <span className="muted" role="note" data-testid="no-heat-map">
              No heat map for this prediction
            </span>
          )}
        </>
      )}
    </div>
  );
}
