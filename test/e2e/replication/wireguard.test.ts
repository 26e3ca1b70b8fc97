/**
 * Issue 9, wireguard profile: real PostgreSQL 15 streaming replication from a primary in the "kz"
 * namespace to a standby in the "hq" namespace through the synthesized wireguard tunnel (see
 * helpers/replication.ts for what runs and what is asserted).
 */
import { replicationSuite } from '../helpers/replication';

replicationSuite('wireguard', 'rw');
