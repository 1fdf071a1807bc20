import { Select } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { Role } from '../../app/utils/types';

const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];

interface Props {
  /** Given by the form field, whose label names the select by it. */
  id?: string;
  value?: Role;
  onChange?: (role: Role) => void;
  /** Only the administrator's role can be chosen (the first token must be one). */
  adminOnly?: boolean;
}

/** The three roles by the names the header shows, for a form field. */
export function RoleSelect({ id, value, onChange, adminOnly = false }: Props) {
  const { t } = useSession();
  return (
    <Select<Role>
      id={id}
      data-testid="token-role"
      value={value}
      onChange={onChange}
      options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`), disabled: adminOnly && role !== 'admin' }))}
    />
  );
}
