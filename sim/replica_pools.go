package sim

import "aiecon/model"

// ReplicaPools names the pool (its model, as Scenario.ServingPools names
// it) of each of a run of sc's replicas, from the instance that hosts it,
// for a stored run, whose replica rows keep the instance and not the pool:
// buildFleet creates each pool's fleet.count instances, in ServingPools
// order, before the run starts, so an instance below the counts' sum is in
// the pool whose range holds it; one numbered past them was added by an
// autoscaler (addInstance), so it is in the autoscaled pool, where one
// pool autoscales or one alone has the replica's instance type and TP
// degree. "" where that does not tell (the scenario's fleets changed).
func ReplicaPools(sc *model.Scenario, replicas []ReplicaMeta) []string {
	pools := sc.ServingPools()
	out := make([]string, len(replicas))
	for i, r := range replicas {
		out[i] = instancePool(pools, r)
	}
	return out
}

// instancePool is the pool of the instance that hosts r.
func instancePool(pools []model.ServingPool, r ReplicaMeta) string {
	first := 0
	for _, p := range pools {
		if int(r.Instance) < first+p.Fleet.Count {
			return p.Name
		}
		first += p.Fleet.Count
	}
	var scaled, same []string
	for _, p := range pools {
		if p.Fleet.Autoscale == nil {
			continue
		}
		scaled = append(scaled, p.Name)
		if p.Fleet.Instance == r.Type && int32(p.Fleet.Replica.TP) == r.TP {
			same = append(same, p.Name)
		}
	}
	switch {
	case len(scaled) == 1:
		return scaled[0]
	case len(same) == 1:
		return same[0]
	}
	return ""
}
