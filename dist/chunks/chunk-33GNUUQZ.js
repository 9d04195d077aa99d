const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
const __dirname = process.getBuiltinModule('node:path').dirname(__filename);
import{f as n}from"./chunk-VVSAKN25.js";import{c}from"./chunk-NNTMVUWG.js";var w=c((k,m)=>{"use strict";var u=n(),q=(e,r,t,s,o)=>{typeof t=="string"&&(o=s,s=t,t=void 0);try{return new u(e instanceof u?e.version:e,t).inc(r,s,o).version}catch{return null}};m.exports=q});var V=c((v,a)=>{"use strict";var x=n(),S=(e,r)=>new x(e,r).major;a.exports=S});var l=c((z,i)=>{"use strict";var h=n(),j=(e,r)=>new h(e,r).minor;i.exports=j});var g=c((A,p)=>{"use strict";var y=n(),f=(e,r)=>new y(e,r).patch;p.exports=f});export{w as a,V as b,l as c,g as d};
