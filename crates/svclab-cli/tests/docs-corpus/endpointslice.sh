# Kubernetes docs: EndpointSlices (concept page).
# Source: https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
#
# Example: the page's EndpointSlice example-abc, owned by the Service "example" through the
# label kubernetes.io/service-name. Documented outcome: accepted; kubectl lists its address;
# the Service (no selector) routes to it and CoreDNS answers its cluster IP.
cat > example.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: example
spec:
  ports:
  - name: http
    protocol: TCP
    port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: example-abc
  labels:
    kubernetes.io/service-name: example
addressType: IPv4
ports:
  - name: http
    protocol: TCP
    port: 80
endpoints:
  - addresses:
      - "10.1.2.3"
    conditions:
      ready: true
    hostname: pod-1
    nodeName: node-1
    zone: us-west2-a
EOF
kubectl apply -f example.yaml
kubectl get endpointslice example-abc
kubectl get endpointslice example-abc -o jsonpath='{.endpoints[0].hostname} {.endpoints[0].zone} {.endpoints[0].conditions.ready}{"\n"}'
# A headless copy of the Service: the slice's hostname becomes a DNS name.
cat > example-headless.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: example-h
spec:
  clusterIP: None
  ports:
  - name: http
    protocol: TCP
    port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: example-h-abc
  labels:
    kubernetes.io/service-name: example-h
addressType: IPv4
ports:
  - name: http
    protocol: TCP
    port: 80
endpoints:
  - addresses:
      - "10.1.2.3"
    conditions:
      ready: true
    hostname: pod-1
EOF
kubectl apply -f example-headless.yaml
dig +short pod-1.example-h.default.svc.cluster.local
dig +short example-h.default.svc.cluster.local
# "Address types": an address of the other family is refused (addressType IPv4).
cat > bad-slice.yaml << EOF
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: example-bad
  labels:
    kubernetes.io/service-name: example
addressType: IPv4
ports:
  - name: http
    protocol: TCP
    port: 80
endpoints:
  - addresses:
      - "2001:db8::1"
EOF
kubectl apply -f bad-slice.yaml
# The Endpoints API is deprecated in v1.33: kubectl prints the API server's warning.
kubectl get endpoints example
