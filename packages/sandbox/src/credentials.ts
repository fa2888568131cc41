/**
 * Fixed, public test credentials: the sandbox checks request signatures with them and signs
 * its answers and notifies with them. They protect nothing; never use them with a real gateway.
 */
export interface SandboxCredentials {
  upaas: { storeNum: string; key: string };
  lianke: { storeNo: string; key: string };
  xiangma: { instNo: string; mchNo: string; key: string };
  /** `vendorSn` / `vendorSecret`: the service provider of /gateway/agent (any merchant_id is its merchant). */
  fubei: { appId: string; appSecret: string; storeId: number; vendorSn: string; vendorSecret: string };
  /** `publicKey` is what a merchant configures (vbao's key); `privateKey` stays in the sandbox. */
  vbao: { customerNo: string; key: string; publicKey: string; privateKey: string };
}

export type SandboxGatewayId = keyof SandboxCredentials;

export const SANDBOX_GATEWAY_IDS: readonly SandboxGatewayId[] = ["upaas", "lianke", "xiangma", "fubei", "vbao"];

export const SANDBOX_CREDENTIALS: Readonly<SandboxCredentials> = Object.freeze({
  upaas: Object.freeze({ storeNum: "1000001", key: "sandbox-upaas-key-0123456789abcdef" }),
  lianke: Object.freeze({ storeNo: "SANDBOX0001", key: "sandbox-lianke-key-0123456789abcdef" }),
  xiangma: Object.freeze({ instNo: "60000001", mchNo: "Y52212200002", key: "sandbox-xiangma-key-0123456789abcdef" }),
  fubei: Object.freeze({ appId: "20170601202131300809", appSecret: "sandbox-fubei-secret-0123456789abcdef", storeId: 3239, vendorSn: "2018052914265100001", vendorSecret: "sandbox-fubei-vendor-secret-0123456789" }),
  vbao: Object.freeze({
    customerNo: "VB10000001",
    key: "sandbox-vbao-key-0123456789abcdef",
    // A public, test-only RSA-2048 pair (base64 DER: SPKI / PKCS#8), made for the sandbox.
    publicKey:
      "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0swrmNTaz3Ir8bd6mGSpY5+hERgD8I+mrJoumRV/rTpsBg5uWGgO" +
      "dGmtdzebovCElQv8NHWYg8oMWLslKsDAVuIb1XmqDNpMapxXSF660brclyH/x9pCJR0NxCYTISyXjoycncrqYt3tAYcK6n9O" +
      "YTmTsGwT6OxN3CUkGp1lLHkwKYOHPZv0h8JnmkqwrKAMofLhWF/EVtExtOoI5ISM95ZikoVUzbR+0M3yjXP4V3huVgce0xSB" +
      "AMxl2MGigfJvRE8hP/76Nx+iME3IIhCdd6BuYer5PO5TdDpdV7VVKwunoUy5WMYKonA2lx2bYcqCHGADJPbiGVQDyLe6V8a4" +
      "AwIDAQAB",
    privateKey:
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDSzCuY1NrPcivxt3qYZKljn6ERGAPwj6asmi6ZFX+tOmwG" +
      "Dm5YaA50aa13N5ui8ISVC/w0dZiDygxYuyUqwMBW4hvVeaoM2kxqnFdIXrrRutyXIf/H2kIlHQ3EJhMhLJeOjJydyupi3e0B" +
      "hwrqf05hOZOwbBPo7E3cJSQanWUseTApg4c9m/SHwmeaSrCsoAyh8uFYX8RW0TG06gjkhIz3lmKShVTNtH7QzfKNc/hXeG5W" +
      "Bx7TFIEAzGXYwaKB8m9ETyE//vo3H6IwTcgiEJ13oG5h6vk87lN0Ol1XtVUrC6ehTLlYxgqicDaXHZthyoIcYAMk9uIZVAPI" +
      "t7pXxrgDAgMBAAECggEAPTZqxpOxAqJ93lBQemZoxfQ52nPl2PpuBRs0wuF6VPxtGAkiw+tbnzR82ey89kDvzzROxZEMe+C1" +
      "WyLlNRgKAnDgckpFNjxCCodh1TMk/vhLTFvkIc3gfVSFhdsknPKNBCkS5cNh8tnNFC953QSg5xzIJWgNFAtixLXIWS4xjgsP" +
      "/uCk5Zbyw9B66UCy0iCasYF6Thys8I+HrWLyxmvf5TmSEdSszJAvJlfEosrhCV1SrX6ZHCbclfMarZwOawxjKXu9JYEnoSPE" +
      "YkZWX3T4IOKCzNKAMkf2izMqc+BBRtI7cgeYCW4v0Zro4crOX5zzAJYO67hRk5QJ3w975QLv2QKBgQDzlc6M0hdMbnJP6CIu" +
      "3MTcy8AQrT8Bsbdq4bx80g+/kxm0P3TazLkLpQPqOv5XRX/lWWC3IB8LX5k3m3+IwR5c7v94BVhsI9AdUakVqbIOoac9Gyfx" +
      "Jo8E1Okaw0q1bV5y5vT1Uw9VNhcRr09srQIVY29s23UKE9mYXF74XFI9rQKBgQDdipCKXSdgpX14DeeB3jr6paYczCAWSN6I" +
      "Mds095WbWclg+LnWw4jwab++AdYYCLmDXdXJk8cwZWk/h1O41QI1Tzt5l935bgYXp4x9H5VTVzxqQOSRB2zea1EhVwbWQoFx" +
      "okOBqiGbNWbKhvvnFWAgBuDa677RCpTi96zOB0EibwKBgQDLAmOvAbnhPXuQFUvH+r8ntbhRLdKBOvg+3/wTm478f0DA9NIT" +
      "OORQTCtDH/+yBH5fS2pLtT2qYPZ1XeegtjL0CUxpXyselYpxpQliwJdhkmCrkOJtHVG9GSVd5L1zD7/Ty6EEhUEWJ4p6dr2f" +
      "OWGvKbxH4W9eAsUrMnEEVQ1F0QKBgAf1+bmvHUIg0EBnJ4GILdBh8XUpdKG4Xp7AQ+NEXlDlyhG8/liUUDBrbGN0h2/3qErr" +
      "LUqAD/FSQ5Tv1PdYWCr4POfiqCxVYsyozaiVYPVMtjQPPudjP+tCKfkrumgqnaIqtYhMR8bfBWGTtiuYngqolJ3pSMMUQUNi" +
      "qQgCRLnrAoGAbpuQBlKMSDT81Mz2KmO/qkgGFLvMNVyHq8gCUukjoC+CjXSD7TZW7l8QrNTfs/I3/z2QQNndTOPRTUrCN06e" +
      "qDaYd/WV9vDvbDONReG72QOZp7V8gOJYhtw4t4riAHYM38wOwNuDDkXonoOOntGvpwAuFqyvpb9eOBR5e12e068=",
  }),
});

export function isSandboxGatewayId(value: unknown): value is SandboxGatewayId {
  return typeof value === "string" && (SANDBOX_GATEWAY_IDS as readonly string[]).includes(value);
}
