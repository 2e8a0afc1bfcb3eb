import "./portal-app.ts";
