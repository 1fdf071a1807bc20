import { BarChart, LineChart, PieChart, SankeyChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useReducedMotion } from '../../app/hooks/useReducedMotion';
import { useSession } from '../../app/hooks/useSession';

// Only the chart types the console draws, so the bundle carries no more of ECharts than that.
echarts.use([BarChart, LineChart, PieChart, SankeyChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * An ECharts chart that follows its option and its container's size. Drawn on a canvas, or as SVG
 * where its labels should be text in the page (read by screen readers, measured by the tests).
 * A canvas is an image named by what it shows, in the console's language (ECharts writes the
 * description from the series: which values, how many each), so that a screen reader says more of
 * it than nothing; an SVG chart's labels are read as they are.
 */
export function Chart({ option, height = 300, testId, renderer = 'canvas' }: { option: ChartOption; height?: number; testId?: string; renderer?: 'canvas' | 'svg' }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const reducedMotion = useReducedMotion();
  const { lang } = useSession();
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer, locale: lang === 'en-US' ? 'EN' : 'ZH' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [renderer, lang]);
  useEffect(() => {
    const described = { aria: { enabled: true }, ...option };
    chart.current?.setOption(reducedMotion ? { ...described, animation: false } : described, true);
  }, [option, renderer, reducedMotion, lang]);
  return <div ref={element} data-testid={testId} role={renderer === 'canvas' ? 'img' : undefined} style={{ height, width: '100%' }} />;
}
