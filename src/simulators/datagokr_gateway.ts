// What the data.go.kr gateway answers in front of every service (DOMAIN §14): its error envelope,
// XML whatever dataType was asked, and the HTML page of an outage or maintenance.
export const gatewayXml = (reason: number, authMsg: string) =>
  [
    "<OpenAPI_ServiceResponse>",
    "  <cmmMsgHeader>",
    "    <errMsg>SERVICE ERROR</errMsg>",
    `    <returnAuthMsg>${authMsg}</returnAuthMsg>`,
    `    <returnReasonCode>${reason}</returnReasonCode>`,
    "  </cmmMsgHeader>",
    "</OpenAPI_ServiceResponse>",
  ].join("\n");

export const htmlPage = (title: string) =>
  `<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>잠시 후 다시 이용해 주십시오.</p></body></html>`;
