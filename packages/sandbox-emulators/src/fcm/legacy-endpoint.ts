// What the retired legacy API (`POST https://fcm.googleapis.com/fcm/send`, `Authorization: key=...`)
// answers now that Google has shut it down (announced for 2024-06-20, shutdown from 2024-07-22).
//
// Evidence, newest first:
// - Dec 2024 / Jan 2025: `POST https://fcm.googleapis.com/fcm/send` "resulted in a `401 INVALID_KEY`
//   response" (benwilkins/laravel-fcm-notification#85): status 401 with the reason phrase INVALID_KEY,
//   whatever the server key.
// - Google's front end words such refusals as its plain HTML error page, status text as title
//   (`<TITLE>Unauthorized</TITLE> ... <H2>Error 401</H2>`, calonso/rails-push-notifications#20;
//   the same template for legacy-key errors in Raudius/Pushraven#4).
// - During the shutdown (Sep 2024) some projects still got 200 with a per-message error instead:
//   `{"multicast_id":...,"success":0,"failure":1,"canonical_ids":0,"results":[{"error":"DeprecatedApi"}]}`
//   (jlcvp/fcm-node#100, kutia-software-company/larafirebase#82). The emulator answers what Google
//   answers today: the 401.

export const LEGACY_STATUS = 401;
export const LEGACY_STATUS_TEXT = 'INVALID_KEY';

export const LEGACY_BODY = [
  '<HTML>',
  '<HEAD>',
  `<TITLE>${LEGACY_STATUS_TEXT}</TITLE>`,
  '</HEAD>',
  '<BODY BGCOLOR="#FFFFFF" TEXT="#000000">',
  `<H1>${LEGACY_STATUS_TEXT}</H1>`,
  `<H2>Error ${LEGACY_STATUS}</H2>`,
  '</BODY>',
  '</HTML>',
  '',
].join('\n');

export const LEGACY_CONTENT_TYPE = 'text/html; charset=UTF-8';
