import { Tag } from 'antd';
import { pickTagColor } from '../utils/tagColor';

/** A tag shown as 「name: value」 in its colour. */
export function TagChip({ label, color, onClose }: { label: string; color?: string | null | undefined; onClose?: () => void }) {
  const tagName = label.split(': ')[0] ?? label;
  return (
    <Tag color={color ?? pickTagColor(tagName)} closable={onClose !== undefined} onClose={(event) => { event.preventDefault(); onClose?.(); }} style={{ marginBottom: 4 }}>
      {label}
    </Tag>
  );
}
