/** Hashes via node:crypto: crypto.md5, crypto.sha1, crypto.sha256, crypto.hmac.*. */
import { createHash, createHmac } from 'node:crypto';
import { def, str } from './util';
import type { BuiltinDef } from './types';

const hash = (alg: string) => (args: Parameters<BuiltinDef['fn']>[0]) =>
  createHash(alg).update(str(args, 0), 'utf8').digest('hex');
const hmac = (alg: string) => (args: Parameters<BuiltinDef['fn']>[0]) =>
  createHmac(alg, Buffer.from(str(args, 1), 'utf8'))
    .update(str(args, 0), 'utf8')
    .digest('hex');

export const crypto: BuiltinDef[] = [
  def('crypto.md5', 1, hash('md5')),
  def('crypto.sha1', 1, hash('sha1')),
  def('crypto.sha256', 1, hash('sha256')),
  def('crypto.hmac.md5', 2, hmac('md5')),
  def('crypto.hmac.sha1', 2, hmac('sha1')),
  def('crypto.hmac.sha256', 2, hmac('sha256')),
  def('crypto.hmac.sha512', 2, hmac('sha512')),
];
