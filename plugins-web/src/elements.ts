// The plugin elements, for any host page: <script type="module" src=".../elements.js">, then
// <moz-platform-hosting api-base="https://api.example.com"> with `element.getToken = async () => token`.
export { MozPlatformHosting } from './hosting.ts';
export { MozPlatformAdmin } from './admin.ts';
export { MozPlatformDashboard } from './dashboard.ts';
export { MozUsageChart } from './usage-chart.ts';
export { ApiError, PlatformClient, type TokenGetter } from './api.ts';
