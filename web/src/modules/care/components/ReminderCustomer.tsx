import { Typography } from 'antd';
import { Link } from 'react-router';
import type { CareReminder } from '../utils/types';

/** Who to get in touch with, linked to their portrait; the id under the name tells two 张伟 apart. */
export function ReminderCustomer({ customer }: { customer: CareReminder['customer'] }) {
  const to = `/customers/${encodeURIComponent(customer.id)}`;
  if (!customer.name) return <Link to={to}>{customer.id}</Link>;
  return (
    <>
      <Link to={to}>{customer.name}</Link>
      <br />
      <Typography.Text type="secondary">{customer.id}</Typography.Text>
    </>
  );
}
