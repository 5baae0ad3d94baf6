// Diagrams: loads mermaid (2.6 MB of script, from mdbook-mermaid, which
// `cargo xtask` writes into book/mermaid/) only on the pages that have a
// ```mermaid diagram, so that the other pages load without it.
(() => {
    if (!document.querySelector('pre.mermaid')) {
        return;
    }
    const load = (file) => new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = path_to_root + 'mermaid/' + file;
        script.onload = resolve;
        script.onerror = () => reject(new Error('cannot load ' + script.src));
        document.head.appendChild(script);
    });
    load('mermaid.min.js')
        .then(() => load('mermaid-init.js'))
        .then(() => {
            // mermaid-init.js asks mermaid to draw on the page's load event;
            // if that has already fired, draw now.
            if (document.readyState === 'complete') {
                mermaid.run();
            }
        })
        .catch((error) => console.error(error.message));
})();
