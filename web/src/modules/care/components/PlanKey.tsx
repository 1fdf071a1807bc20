import { Typography } from 'antd';
import { Fragment } from 'react';

/**
 * A plan's key under its name. A long one (became_important_value_…) may break after each
 * underscore, between its words, rather than inside one where the line runs out.
 */
export function PlanKey({ planKey }: { planKey: string }) {
  const parts = planKey.split('_');
  return (
    <Typography.Text type="secondary" data-testid={`care-plan-key-${planKey}`} style={{ overflowWrap: 'break-word' }}>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && (
            <>
              _<wbr />
            </>
          )}
        </Fragment>
      ))}
    </Typography.Text>
  );
}
