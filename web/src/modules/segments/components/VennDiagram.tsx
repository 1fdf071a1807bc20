import { useSession } from '../../app/hooks/useSession';
import { circlesFor, labelPositions, maskOf } from '../utils/venn';

export interface OverlapJson {
  sizes: Record<string, number>;
  regions: { segments: string[]; customers: number }[];
  intersection: number;
  union: number;
}

/** Two or three circles with the number of customers in each region. */
export function VennDiagram({ order, names, overlap }: { order: string[]; names: Map<string, string>; overlap: OverlapJson }) {
  const { lang } = useSession();
  const count = order.length === 3 ? 3 : 2;
  const circles = circlesFor(count);
  const positions = labelPositions(count);
  const byMask = new Map(overlap.regions.map((region) => [maskOf(region.segments, order), region.customers]));
  return (
    <svg data-testid="venn" viewBox="0 0 400 290" width="100%" style={{ maxWidth: 520 }} role="img" aria-label={order.map((key) => names.get(key) ?? key).join(' ∩ ')}>
      {circles.map((circle, index) => (
        <circle key={index} cx={circle.cx} cy={circle.cy} r={circle.r} fill={circle.color} fillOpacity={0.22} stroke={circle.color} strokeWidth={2} />
      ))}
      {circles.map((circle, index) => {
        const key = order[index] ?? '';
        const below = count === 3 && index === 2;
        return (
          <text key={key} x={circle.cx + (count === 2 ? (index === 0 ? -60 : 60) : index === 0 ? -70 : index === 1 ? 70 : 0)} y={below ? 285 : 20} textAnchor="middle" fontSize={13} fontWeight={600} fill={circle.color}>
            {names.get(key) ?? key}
          </text>
        );
      })}
      {[...positions].map(([mask, [x, y]]) => (
        <text key={mask} data-testid={`venn-region-${mask}`} x={x} y={y} textAnchor="middle" dominantBaseline="middle" fontSize={16} fill="#1f1f1f">
          {(byMask.get(mask) ?? 0).toLocaleString(lang)}
        </text>
      ))}
    </svg>
  );
}
