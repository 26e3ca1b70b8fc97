/**
 * Issue 9, gost-tls profile: real PostgreSQL 15 streaming replication from a primary in the "kz"
 * namespace to a standby in the "hq" namespace through the synthesized gost-tls tunnel (see
 * helpers/replication.ts for what runs and what is asserted).
 */
import { replicationSuite } from '../helpers/replication';

replicationSuite('gost-tls', 'rg');
