// The answers the emulator gives, as Huawei words them (HMS-Core/hms-push-serverdemo-java,
// ResponceCodeProcesser.java) with the HTTP status Push Kit sends each with.

export const RESULTS: Readonly<Record<string, { status: number; msg: string }>> = {
  '80000000': { status: 200, msg: 'Success' },
  '80100000': { status: 200, msg: 'Some tokens are right, the others are illegal' },
  '80100001': { status: 400, msg: 'Parameters check error' },
  '80100003': { status: 400, msg: 'Message structure error' },
  '80100004': { status: 400, msg: 'TTL is less than current time, please check' },
  '80200001': { status: 401, msg: 'Oauth authentication error' },
  '80200003': { status: 401, msg: 'Oauth Token expired' },
  '80300002': { status: 403, msg: 'APP is forbidden to send' },
  '80300007': { status: 400, msg: 'Invalid Token' },
  '80300008': { status: 400, msg: 'The message body size exceeds the default value set by the system (4K)' },
  '80300010': { status: 400, msg: 'Tokens exceed the default value' },
  '80600003': { status: 500, msg: 'Request OAuth service failed' },
  '81000001': { status: 500, msg: 'System inner error' },
};

/** Push Kit's data limit (80300008). */
export const MAX_DATA_BYTES = 4096;
