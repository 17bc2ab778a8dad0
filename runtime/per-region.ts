/**
 * One instance per region, built on first use and kept for the life of the container (SDK clients,
 * secret resolvers with their caches).
 */
export const perRegion = <T>(create: (region: string) => T): ((region: string) => T) => {
  const instances = new Map<string, T>();
  return (region) => {
    let instance = instances.get(region);
    if (instance === undefined) {
      instance = create(region);
      instances.set(region, instance);
    }
    return instance;
  };
};
