/** The Tsunagu server's base URL, from TSUNAGU_DEMO_SERVER_URL (vite.config.ts). */
declare const __TSUNAGU_SERVER_URL__: string;
