# Kubernetes docs: IPv4/IPv6 dual-stack (concept page).
# Source: https://kubernetes.io/docs/concepts/services-networking/dual-stack/
# Runs on the dual-stack kind cluster in dual-stack.kind.yaml (the page's "Configure
# IPv4/IPv6 dual-stack": pod and service CIDRs of both families).
#
# Example 1: a Service without ipFamilyPolicy is SingleStack, in the first configured family.
cat > svc-default.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-service
  labels:
    app.kubernetes.io/name: MyApp
spec:
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - protocol: TCP
      port: 80
EOF
kubectl apply -f svc-default.yaml
kubectl get svc my-service -o jsonpath='{.spec.ipFamilyPolicy} {.spec.ipFamilies}{"\n"}'
# Example 2: PreferDualStack gets one address per family, IPv4 first.
cat > svc-prefer.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-service-pds
  labels:
    app.kubernetes.io/name: MyApp
spec:
  ipFamilyPolicy: PreferDualStack
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - protocol: TCP
      port: 80
EOF
kubectl apply -f svc-prefer.yaml
kubectl get svc my-service-pds -o jsonpath='{.spec.ipFamilyPolicy} {.spec.ipFamilies}{"\n"}'
# Example 3: PreferDualStack with ipFamilies [IPv6, IPv4]: the primary family is IPv6.
cat > svc-v6-first.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-service-v6
  labels:
    app.kubernetes.io/name: MyApp
spec:
  ipFamilyPolicy: PreferDualStack
  ipFamilies:
  - IPv6
  - IPv4
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - protocol: TCP
      port: 80
EOF
kubectl apply -f svc-v6-first.yaml
kubectl get svc my-service-v6 -o jsonpath='{.spec.ipFamilies}{"\n"}'
kubectl get svc my-service-v6 -o jsonpath='{.spec.clusterIPs}{"\n"}'
# Both families answer in DNS: an A and an AAAA record for the dual-stack Service.
dig +short my-service-pds.default.svc.cluster.local A | wc -l
dig +short my-service-pds.default.svc.cluster.local AAAA | wc -l
