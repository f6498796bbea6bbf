// Huawei Push Kit (HMS): the push provider, its shared OAuth token and the mapping of Push Kit's result codes.
export { HuaweiProvider, type HuaweiProviderOptions } from './huawei-provider.js';
export { SharedAccessTokens, type SharedAccessTokensOptions } from './shared-access-tokens.js';
export { grantToken, grantTokenOnce, TokenGrantError, type GrantedToken } from './token-grant.js';
export { mapHuaweiResponse, isAuthRefusal, type HuaweiReply } from './map-huawei-response.js';
export { HUAWEI_RESULT_CODES, huaweiCodeMeaning, type HuaweiCodeMeaning } from './huawei-result-codes.js';
export { readHuaweiAnswer, illegalTokensOf, huaweiReasonLabel, type HuaweiAnswer } from './huawei-answer.js';
export { toHuaweiMessage, type HuaweiSendBody } from './huawei-message.js';
