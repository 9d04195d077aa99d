import { createRequire as __cutoverCreateRequire } from 'node:module';
import { fileURLToPath as __cutoverFileURLToPath } from 'node:url';
const require = __cutoverCreateRequire(import.meta.url);
const __filename = __cutoverFileURLToPath(import.meta.url);
const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
var s=class{constructor(...t){this.settings=t}async getJson(...t){let n=await Promise.resolve().then(()=>require_oidc_utils());return new n.HttpClient(...this.settings).getJson(...t)}};export{s as a};
