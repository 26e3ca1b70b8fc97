# METADATA
# title: Cloud regions and where they are
# description: >-
#   A maintained table of the cloud providers' regions and the country each is in, and the
#   mapping of zone and provider-specific region names onto it. A region that is not in the table
#   proves nothing (fail closed): add it here, with its source, when a provider opens one.
#   Sources (checked 2026-11): AWS "Regions and Availability Zones" (docs.aws.amazon.com, and the
#   region list of botocore's endpoints.json); Google Cloud "Cloud locations" and "Bucket
#   locations" (cloud.google.com/about/locations, cloud.google.com/storage/docs/locations);
#   Azure "Azure geographies" and `az account list-locations`; Yandex Cloud "Regions and
#   availability zones" (yandex.cloud/docs/overview/concepts/region, and the Kazakhstan
#   installation yandex.cloud/ru-kz: region kz1, zone kz1-a, API api.yandexcloud.kz); MongoDB
#   Atlas "Cloud Providers and Regions" (mongodb.com/docs/atlas/reference/cloud-providers).
#   Of these, only Yandex Cloud has a region in Kazakhstan (kz1).
package kz.lib.regions

# region -> [ISO 3166-1 alpha-2 country ("EU": a European Union multi-region), place]
aws := {
	"us-east-1": ["US", "N. Virginia"], "us-east-2": ["US", "Ohio"],
	"us-west-1": ["US", "N. California"], "us-west-2": ["US", "Oregon"],
	"us-gov-east-1": ["US", "GovCloud US-East"], "us-gov-west-1": ["US", "GovCloud US-West"],
	"ca-central-1": ["CA", "Canada Central"], "ca-west-1": ["CA", "Calgary"],
	"mx-central-1": ["MX", "Mexico Central"],
	"sa-east-1": ["BR", "São Paulo"],
	"eu-central-1": ["DE", "Frankfurt"], "eu-central-2": ["CH", "Zurich"],
	"eu-west-1": ["IE", "Ireland"], "eu-west-2": ["GB", "London"], "eu-west-3": ["FR", "Paris"],
	"eu-north-1": ["SE", "Stockholm"], "eu-south-1": ["IT", "Milan"], "eu-south-2": ["ES", "Spain"],
	"eusc-de-east-1": ["DE", "European Sovereign Cloud, Brandenburg"],
	"il-central-1": ["IL", "Tel Aviv"], "me-south-1": ["BH", "Bahrain"], "me-central-1": ["AE", "UAE"],
	"af-south-1": ["ZA", "Cape Town"],
	"ap-east-1": ["HK", "Hong Kong"], "ap-east-2": ["TW", "Taipei"],
	"ap-south-1": ["IN", "Mumbai"], "ap-south-2": ["IN", "Hyderabad"],
	"ap-northeast-1": ["JP", "Tokyo"], "ap-northeast-2": ["KR", "Seoul"], "ap-northeast-3": ["JP", "Osaka"],
	"ap-southeast-1": ["SG", "Singapore"], "ap-southeast-2": ["AU", "Sydney"], "ap-southeast-3": ["ID", "Jakarta"],
	"ap-southeast-4": ["AU", "Melbourne"], "ap-southeast-5": ["MY", "Malaysia"], "ap-southeast-6": ["NZ", "New Zealand"],
	"ap-southeast-7": ["TH", "Thailand"],
	"cn-north-1": ["CN", "Beijing"], "cn-northwest-1": ["CN", "Ningxia"],
}

google := {
	"us-central1": ["US", "Iowa"], "us-east1": ["US", "South Carolina"], "us-east4": ["US", "Northern Virginia"],
	"us-east5": ["US", "Columbus"], "us-south1": ["US", "Dallas"], "us-west1": ["US", "Oregon"],
	"us-west2": ["US", "Los Angeles"], "us-west3": ["US", "Salt Lake City"], "us-west4": ["US", "Las Vegas"],
	"northamerica-northeast1": ["CA", "Montréal"], "northamerica-northeast2": ["CA", "Toronto"],
	"northamerica-south1": ["MX", "Querétaro"],
	"southamerica-east1": ["BR", "São Paulo"], "southamerica-west1": ["CL", "Santiago"],
	"europe-west1": ["BE", "Belgium"], "europe-west2": ["GB", "London"], "europe-west3": ["DE", "Frankfurt"],
	"europe-west4": ["NL", "Netherlands"], "europe-west6": ["CH", "Zurich"], "europe-west8": ["IT", "Milan"],
	"europe-west9": ["FR", "Paris"], "europe-west10": ["DE", "Berlin"], "europe-west12": ["IT", "Turin"],
	"europe-north1": ["FI", "Finland"], "europe-north2": ["SE", "Stockholm"], "europe-central2": ["PL", "Warsaw"],
	"europe-southwest1": ["ES", "Madrid"],
	"me-west1": ["IL", "Tel Aviv"], "me-central1": ["QA", "Doha"], "me-central2": ["SA", "Dammam"],
	"africa-south1": ["ZA", "Johannesburg"],
	"asia-east1": ["TW", "Taiwan"], "asia-east2": ["HK", "Hong Kong"],
	"asia-northeast1": ["JP", "Tokyo"], "asia-northeast2": ["JP", "Osaka"], "asia-northeast3": ["KR", "Seoul"],
	"asia-south1": ["IN", "Mumbai"], "asia-south2": ["IN", "Delhi"],
	"asia-southeast1": ["SG", "Singapore"], "asia-southeast2": ["ID", "Jakarta"],
	"australia-southeast1": ["AU", "Sydney"], "australia-southeast2": ["AU", "Melbourne"],
	# multi-regions and predefined dual-regions (Cloud Storage, Firestore, Spanner)
	"eu": ["EU", "European Union multi-region"], "us": ["US", "United States multi-region"],
	"eur4": ["EU", "Finland and Netherlands"], "nam4": ["US", "Iowa and South Carolina"], "asia1": ["JP", "Tokyo and Osaka"],
	"eur3": ["EU", "Belgium and Netherlands"], "nam5": ["US", "United States multi-region"],
}

azure := {
	"eastus": ["US", "Virginia"], "eastus2": ["US", "Virginia"], "centralus": ["US", "Iowa"],
	"northcentralus": ["US", "Illinois"], "southcentralus": ["US", "Texas"], "westcentralus": ["US", "Wyoming"],
	"westus": ["US", "California"], "westus2": ["US", "Washington"], "westus3": ["US", "Arizona"],
	"usgovvirginia": ["US", "US Gov Virginia"], "usgovarizona": ["US", "US Gov Arizona"], "usgovtexas": ["US", "US Gov Texas"],
	"canadacentral": ["CA", "Toronto"], "canadaeast": ["CA", "Quebec City"],
	"mexicocentral": ["MX", "Querétaro"], "brazilsouth": ["BR", "São Paulo"], "brazilsoutheast": ["BR", "Rio de Janeiro"],
	"chilecentral": ["CL", "Santiago"],
	"northeurope": ["IE", "Ireland"], "westeurope": ["NL", "Netherlands"],
	"uksouth": ["GB", "London"], "ukwest": ["GB", "Cardiff"],
	"francecentral": ["FR", "Paris"], "francesouth": ["FR", "Marseille"],
	"germanywestcentral": ["DE", "Frankfurt"], "germanynorth": ["DE", "Berlin"],
	"switzerlandnorth": ["CH", "Zurich"], "switzerlandwest": ["CH", "Geneva"],
	"norwayeast": ["NO", "Oslo"], "norwaywest": ["NO", "Stavanger"],
	"swedencentral": ["SE", "Gävle"], "swedensouth": ["SE", "Malmö"],
	"polandcentral": ["PL", "Warsaw"], "italynorth": ["IT", "Milan"], "spaincentral": ["ES", "Madrid"],
	"austriaeast": ["AT", "Vienna"],
	"israelcentral": ["IL", "Israel"], "qatarcentral": ["QA", "Doha"],
	"uaenorth": ["AE", "Dubai"], "uaecentral": ["AE", "Abu Dhabi"],
	"southafricanorth": ["ZA", "Johannesburg"], "southafricawest": ["ZA", "Cape Town"],
	"eastasia": ["HK", "Hong Kong"], "southeastasia": ["SG", "Singapore"],
	"japaneast": ["JP", "Tokyo"], "japanwest": ["JP", "Osaka"],
	"koreacentral": ["KR", "Seoul"], "koreasouth": ["KR", "Busan"],
	"centralindia": ["IN", "Pune"], "southindia": ["IN", "Chennai"], "westindia": ["IN", "Mumbai"],
	"jioindiacentral": ["IN", "Nagpur"], "jioindiawest": ["IN", "Jamnagar"],
	"australiaeast": ["AU", "New South Wales"], "australiasoutheast": ["AU", "Victoria"],
	"australiacentral": ["AU", "Canberra"], "australiacentral2": ["AU", "Canberra"],
	"newzealandnorth": ["NZ", "Auckland"], "indonesiacentral": ["ID", "Jakarta"], "malaysiawest": ["MY", "Kuala Lumpur"],
	"chinaeast": ["CN", "Shanghai"], "chinaeast2": ["CN", "Shanghai"], "chinaeast3": ["CN", "Shanghai"],
	"chinanorth": ["CN", "Beijing"], "chinanorth2": ["CN", "Beijing"], "chinanorth3": ["CN", "Hebei"],
}

yandex := {
	"ru-central1": ["RU", "Russia (ru-central1)"],
	"kz1": ["KZ", "Kazakhstan (kz1)"],
}

tables := {"aws": aws, "google": google, "azure": azure, "yandex": yandex}

# MongoDB Atlas names regions of its clouds its own way: AWS "EU_CENTRAL_1", Google Cloud
# "EUROPE_WEST_3" (and a few older names), Azure "EUROPE_WEST", "US_EAST_2".
_atlas_google_legacy := {
	"central_us": "us-central1", "eastern_us": "us-east1", "western_us": "us-west1",
	"western_europe": "europe-west1", "eastern_asia_pacific": "asia-east1",
	"northeastern_asia_pacific": "asia-northeast1", "southeastern_asia_pacific": "asia-southeast1",
}

# ---------------------------------------------------------------------------------------
# Lookups
# ---------------------------------------------------------------------------------------

# The table's region for a value written in a resource or provider (a region, a zone of it, or
# the provider's own spelling); undefined when the table has no such region.
region(cloud, value) := r if {
	cloud in {"aws", "google", "yandex"}
	v := lower(trim_space(value))
	r := _zone_region(tables[cloud], trim_prefix(v, "regional-"))
} else := r if {
	cloud == "azure"
	r := lower(replace(replace(trim_space(value), " ", ""), "-", ""))
	azure[r]
}

# A zone belongs to the longest region it starts with, followed by something other than a digit
# ("eu-central-1a", "us-east-1-bos-1a", "europe-west3-b", "kz1-a"; "europe-west10-a" is not
# "europe-west1").
_zone_region(table, v) := v if table[v]

_zone_region(table, v) := r if {
	not table[v]
	candidates := {k | some k, _ in table; startswith(v, k); not regex.match(`^[0-9]`, substring(v, count(k), 1))}
	count(candidates) > 0
	longest := max({count(k) | some k in candidates})
	some r in candidates
	count(r) == longest
}

# [cloud, region] of a MongoDB Atlas region name on one of its backing clouds (AWS, GCP, AZURE).
atlas_region(provider, name) := ["aws", r] if {
	upper(provider) == "AWS"
	r := region("aws", replace(lower(name), "_", "-"))
} else := ["google", r] if {
	upper(provider) == "GCP"
	r := _atlas_google(lower(name))
} else := ["azure", r] if {
	upper(provider) == "AZURE"
	words := split(lower(name), "_")
	some candidate in _atlas_azure_candidates(words)
	r := region("azure", candidate)
}

_atlas_google(n) := _atlas_google_legacy[n]

_atlas_google(n) := r if {
	not _atlas_google_legacy[n]
	spelled := replace(replace(replace(n, "north_america_", "northamerica_"), "south_america_", "southamerica_"), "middle_east_", "me_")
	parts := split(spelled, "_")
	count(parts) >= 3
	regex.match(`^[0-9]+$`, parts[count(parts) - 1])
	head := concat("-", array.slice(parts, 0, count(parts) - 1))
	r := region("google", concat("", [head, parts[count(parts) - 1]]))
}

# Atlas writes Azure regions area first ("EUROPE_NORTH", "US_EAST_2"), Azure mostly area last
# ("northeurope", "eastus2"); "GERMANY_WEST_CENTRAL" keeps its order.
_atlas_azure_candidates(words) := {same, rotated} if {
	digits := [w | some w in words; regex.match(`^[0-9]+$`, w)]
	letters := [w | some w in words; not regex.match(`^[0-9]+$`, w)]
	count(letters) > 0
	same := concat("", array.concat(letters, digits))
	rotated := concat("", array.concat(array.concat(array.slice(letters, 1, count(letters)), [letters[0]]), digits))
}

jurisdiction(cloud, r) := tables[cloud][r][0]

place(cloud, r) := tables[cloud][r][1]
