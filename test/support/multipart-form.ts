/** A form encoded by undici's FormData, as fetch sends it: the body and its Content-Type. */
export async function encodeForm(fields: Record<string, Buffer | string>): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new File([new Uint8Array(value)], `${name}.pprof`));
  }
  const response = new Response(form);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}
