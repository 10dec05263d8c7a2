// Starts NHS.UK frontend's components (header menu, error summary focus, character count...).
// Loaded from layout.html as an external module so the Content-Security-Policy needs no
// inline script beyond the nonce'd one-liner in nhsuk/template.jinja.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
