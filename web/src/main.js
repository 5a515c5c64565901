// @ts-check
// amur's map page: the network by mode and status, a route drawn leg by leg with its table,
// place search as you type, scenarios (built-in and stored), two scenarios compared on one
// route, flows after assignment (width by volume, colour by v/c), market access change by
// region, project appraisal, and the scheduled services as lines through their calls.
// Everything comes from the amur server (api.js); each panel
// is a module in panels/, each map layer one in map/.
import * as api from "./api.js";
import { byId, select } from "./dom.js";
import { createMap, setData } from "./map/index.js";
import { accessLayer } from "./map/access.js";
import { compareLayer } from "./map/compare.js";
import { flowsLayer } from "./map/flows.js";
import { networkLinks, networkNodes, setNetwork } from "./map/network.js";
import { routeLayer } from "./map/route.js";
import { drawServices, servicesLayer, shown } from "./map/services.js";
import { setupAccess } from "./panels/access.js";
import { setupAppraise } from "./panels/appraise.js";
import { setupCompare } from "./panels/compare.js";
import { setupFlows } from "./panels/flows.js";
import { setupLayers } from "./panels/layers.js";
import { setupRoute } from "./panels/route.js";
import { setupScenarios } from "./panels/scenarios.js";
import { setupSearch } from "./panels/search.js";
import { setPlaces } from "./places.js";
import "./style.css";

// Drawing order: later layers on top.
const { map, loaded } = createMap([networkLinks, servicesLayer, routeLayer, compareLayer, flowsLayer, networkNodes,
  accessLayer]);
window.amur = { map, services: shown };

setupSearch(["from", "to", "compare-from", "compare-to"]);
setupRoute(map);
setupCompare(map);
setupAccess(map);
setupFlows(map);

const [caps, network, places, builtin, services] = await Promise.all([
  api.capabilities(), api.network(), api.places("", 1000), api.builtinScenarios(), api.services(), loaded,
]);
byId("network-name").textContent = caps.network;
for (const id of ["compare-month", "flows-month"]) {
  select(id).replaceChildren(...[...select("month").options].map((o) => new Option(o.textContent ?? "", o.value)));
}
byId("flows-panel").hidden = !caps.flows;
byId("appraise-panel").hidden = !caps.appraisal;
if (caps.appraisal) await setupAppraise();
setPlaces(places.places);
setNetwork(network);
setData(map, "network", /** @type {GeoJSON.FeatureCollection} */ (network));
drawServices(map, services, places.places);
setupLayers(map, services.services.length);
await setupScenarios(builtin.scenarios, caps);
document.body.dataset.ready = "true";
