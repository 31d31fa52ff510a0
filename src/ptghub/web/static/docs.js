// Starts Swagger UI (/docs) or ReDoc (/redoc) on the element that names the OpenAPI
// document in data-openapi: the pages carry no inline script, so their
// Content-Security-Policy can allow scripts from this site only.
(function () {
  "use strict";

  var swagger = document.getElementById("swagger-ui");
  if (swagger && typeof window.SwaggerUIBundle === "function") {
    window.SwaggerUIBundle({
      url: swagger.dataset.openapi,
      dom_id: "#swagger-ui",
      layout: "BaseLayout",
      deepLinking: true,
      showExtensions: true,
      showCommonExtensions: true,
      presets: [window.SwaggerUIBundle.presets.apis]
    });
  }
  var redoc = document.getElementById("redoc");
  if (redoc && window.Redoc) {
    window.Redoc.init(redoc.dataset.openapi, {}, redoc);
  }
})();
