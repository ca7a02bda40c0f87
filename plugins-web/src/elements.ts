// The plugin elements, for any host page: <script type="module" src=".../elements.js">, then
// <moz-platform-hosting api-base="https://api.example.com"> with `element.getToken = async () => token`.
export { MozPlatformHosting } from './hosting.ts';
export { MozPlatformDiscovery } from './discovery.ts';
export { MozPlatformSocial } from './social.ts';
export { MozPlatformCommunity } from './community.ts';
export { MozPlatformGrowth } from './growth.ts';
export { MozPlatformFunding } from './funding.ts';
export { MozPlatformAdmin } from './admin.ts';
export { MozPlatformDashboard } from './dashboard.ts';
export { MozUsageChart } from './usage-chart.ts';
export { ApiError, PlatformClient, type TokenGetter } from './api.ts';
