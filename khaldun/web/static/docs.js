/* The API documentation page: every operation of /openapi.json with its parameters, body and answers.
   Built through the DOM (textContent), so nothing in the spec can run as code; no CDN, no inline script. */
"use strict";

(async function () {
  const root = document.getElementById("operations");
  const spec = await (await fetch("/openapi.json", { credentials: "same-origin" })).json();
  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const refName = (schema) => {
    if (!schema) return "";
    if (schema.$ref) return schema.$ref.split("/").pop();
    if (schema.type === "array") return `${refName(schema.items)}[]`;
    if (schema.anyOf) return schema.anyOf.map(refName).join(" | ");
    return schema.type || "";
  };
  root.replaceChildren();
  const byTag = {};
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = (op.tags && op.tags[0]) || "other";
      (byTag[tag] = byTag[tag] || []).push([method, path, op]);
    }
  }
  for (const [tag, ops] of Object.entries(byTag)) {
    const section = el("section", undefined, "card");
    section.appendChild(el("h2", tag));
    for (const [method, path, op] of ops) {
      const item = el("details", undefined, "operation");
      item.id = `${method}-${path}`;
      const summary = el("summary");
      summary.append(el("code", method.toUpperCase(), "method"), " ", el("code", path), " — ", op.summary || "");
      item.appendChild(summary);
      if (op.description) item.appendChild(el("p", op.description));
      const params = op.parameters || [];
      if (params.length) {
        const table = el("table", undefined, "list");
        table.appendChild(el("tr")).append(el("th", "parameter"), el("th", "in"), el("th", "type"), el("th", "description"));
        for (const p of params) {
          table.appendChild(el("tr")).append(el("td", p.name + (p.required ? " *" : "")), el("td", p.in),
            el("td", refName(p.schema)), el("td", p.description || (p.schema && p.schema.description) || ""));
        }
        item.appendChild(table);
      }
      const body = op.requestBody && op.requestBody.content;
      if (body) {
        for (const [type, content] of Object.entries(body)) item.appendChild(el("p", `body (${type}): ${refName(content.schema)}`));
      }
      const answers = el("ul");
      for (const [status, response] of Object.entries(op.responses || {})) {
        const content = response.content ? Object.entries(response.content).map(([t, c]) => `${t} ${refName(c.schema)}`).join(", ") : "";
        answers.appendChild(el("li", `${status} ${response.description || ""} ${content}`));
      }
      item.appendChild(answers);
      section.appendChild(item);
    }
    root.appendChild(section);
  }
  const schemas = el("section", undefined, "card");
  schemas.appendChild(el("h2", "schemas"));
  for (const [name, schema] of Object.entries((spec.components && spec.components.schemas) || {})) {
    const item = el("details");
    item.appendChild(el("summary", name));
    const fields = el("ul");
    for (const [field, s] of Object.entries(schema.properties || {})) {
      fields.appendChild(el("li", `${field}: ${refName(s)}${(schema.required || []).includes(field) ? " (required)" : ""}`));
    }
    item.appendChild(fields);
    schemas.appendChild(item);
  }
  root.appendChild(schemas);
  root.dataset.ready = "true";
})();
