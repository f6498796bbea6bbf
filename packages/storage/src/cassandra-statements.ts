// The CQL of the Cassandra token storage, on Sylk's tables (`<table>` and `mobile_devices`), all prepared.

export interface CassandraStatements {
  insertDevice: string;
  selectDevices: string;
  anyDevice: string;
  deleteDevice: string;
  deleteDeviceIfToken: string;
  deleteDeviceIfBackgroundToken: string;
  selectAccounts: string;
  selectMobileDevice: string;
  insertMobileDevice: string;
  deleteMobileDevice: string;
}

/** `keyspace` and `table` must already be checked identifiers (see cqlIdentifier). */
export function cassandraStatements(keyspace: string, table: string): CassandraStatements {
  const tokens = `${keyspace}.${table}`;
  const mobile = `${keyspace}.mobile_devices`;
  const device = `${tokens} WHERE username = ? AND domain = ? AND device_id = ? AND app_id = ?`;
  return {
    insertDevice:
      `INSERT INTO ${tokens} (username, domain, device_id, app_id, device_token, background_token, platform, silent, user_agent) ` +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    selectDevices:
      `SELECT device_id, app_id, device_token, background_token, platform, silent, user_agent FROM ${tokens} ` +
      'WHERE username = ? AND domain = ?',
    anyDevice: `SELECT device_id FROM ${tokens} WHERE username = ? AND domain = ? LIMIT 1`,
    deleteDevice: `DELETE FROM ${device} IF EXISTS`,
    deleteDeviceIfToken: `DELETE FROM ${device} IF device_token = ?`,
    deleteDeviceIfBackgroundToken: `DELETE FROM ${device} IF background_token = ?`,
    selectAccounts: `SELECT DISTINCT username, domain FROM ${tokens}`,
    selectMobileDevice: `SELECT opensipsval FROM ${mobile} WHERE opensipskey = ?`,
    insertMobileDevice: `INSERT INTO ${mobile} (opensipskey, opensipsval) VALUES (?, '1') IF NOT EXISTS`,
    deleteMobileDevice: `DELETE FROM ${mobile} WHERE opensipskey = ? IF EXISTS`,
  };
}
