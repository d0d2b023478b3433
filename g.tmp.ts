import { generateSuite } from './conformance/generate.ts';
import { configs } from './model/configs.ts';
for (const n of process.argv.slice(2)) {
const t0 = performance.now();
const s = generateSuite(configs[n]!);
const inc = s.scenarios.flatMap(x=>x.steps).filter((st:any)=>st.kind==='expect' && !st.orElseComplete).length;
const alts = s.scenarios.flatMap(x=>x.steps).filter((st:any)=>st.kind==='expect').reduce((a:number,st:any)=>a+st.orElse.length,0);
console.log(n, s.scenarios.length, 'scenarios', ((performance.now()-t0)/1000).toFixed(1)+'s', 'incomplete', inc, 'alts', alts);
}
