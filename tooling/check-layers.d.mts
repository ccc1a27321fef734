/** The layer table from DESIGN.md: package name to layer number (apps are 9). */
export declare const LAYERS: Readonly<Record<string, number>>
/** Every layering violation in the workspace at `root`, one readable line each. */
export declare function checkLayers(root?: string): string[]
