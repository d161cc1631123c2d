/** Request slot holding the route's {@link Resolution} (the per-request dependency cache). */
export const kGatehouseResolution: unique symbol = Symbol('gatehouse.resolution')

/** Request slot holding the error the request failed with, for generator cleanup. */
export const kGatehouseError: unique symbol = Symbol('gatehouse.error')
