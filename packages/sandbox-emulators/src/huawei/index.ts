// The Huawei Push Kit emulator.
export { startHuaweiEmulator } from './huawei-emulator.js';
export type {
  HuaweiEmulator,
  HuaweiEmulatorOptions,
  HuaweiFault,
  RecordedHuaweiGrant,
  RecordedHuaweiSend,
} from './types.js';
