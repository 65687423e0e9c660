import type { Role } from '../../generated/prisma/enums';
import type { AppContext, Caller } from '../../http/context';
import { uuidv7 } from '../../shared/uuid';
import { write } from '../write';

/**
 * The caller for work the service does on its own behalf (the seed loader,
 * the command-line importer): an actor without a key, made once and audited
 * like any other write.
 */
export async function serviceCaller(app: AppContext, name: string, role: Role, requestId: string): Promise<Caller> {
  const existing = await app.prisma.actor.findFirst({ where: { name } });
  const actor =
    existing ??
    (await write(app, { actor: null, requestId }, async (tx, audit) => {
      const created = await tx.actor.create({ data: { id: uuidv7(), name, role } });
      audit({ action: 'actor.create', entityType: 'actor', entityId: created.id, after: { id: created.id, name: created.name, role: created.role } });
      return created;
    }));
  return { actor: { id: actor.id, name: actor.name, role: actor.role }, requestId };
}
